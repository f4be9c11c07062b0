import { Decimal, type Order, type StoredEvent } from '@perps-bot/core';
import type { SimLedgerView } from '@perps-bot/exchange-sim';
import { describe, expect, it } from 'vitest';
import { checkInvariants, isSanePrice, type Observation } from './invariants.js';

// The invariants are pure functions of what a run leaves behind; each is shown here to catch the breach it
// names, and to pass the books of a run that had none.
const BIP = 'BIP-20DEC30-CDE';
const order = (clientId: string, status: Order['status']): Order => ({
  id: `ex-${clientId}`,
  clientId,
  symbol: BIP,
  side: 'BUY',
  type: 'MARKET',
  quantity: new Decimal(2),
  price: null,
  stopPrice: null,
  avgFillPrice: status === 'FILLED' ? new Decimal(50000) : null,
  status,
  filledQuantity: new Decimal(status === 'FILLED' ? 2 : 0),
  tif: 'IOC',
  reduceOnly: false,
  submittedAt: new Date('2026-12-01T00:00:00Z'),
  updatedAt: new Date('2026-12-01T00:00:00Z'),
});
const remote = (clientId: string, side: 'BUY' | 'SELL', size: string, sequence: number) => ({
  order: {
    orderId: `ex-${clientId}`,
    clientOrderId: clientId,
    productId: BIP,
    side,
    status: 'FILLED',
    size,
    filledSize: size,
    createdAt: '2026-12-01T00:00:00Z',
  },
  fill: {
    orderId: `ex-${clientId}`,
    productId: BIP,
    side,
    size,
    price: '50000',
    time: '2026-12-01T00:00:00Z',
    sequence,
  },
});
const event = (seq: number, type: string, payload: Record<string, unknown>): StoredEvent => ({
  seq,
  type,
  botId: 'perps_bot',
  time: '2026-12-01T00:00:00Z',
  payload,
});

function observation(overrides: Partial<Observation> & { trades?: ReturnType<typeof remote>[] } = {}): Observation {
  const trades = overrides.trades ?? [remote('pb-1', 'BUY', '2', 1), remote('pb-2', 'SELL', '2', 2)];
  const ledger: SimLedgerView = {
    orders: trades.map((t) => t.order),
    fills: trades.map((t) => t.fill),
    positions: [{ productId: BIP, qty: '0', contractSize: '0.01' }],
  };
  return {
    symbols: [BIP],
    reduceOnly: false,
    notionalBound: new Decimal(5600),
    ledger,
    orders: trades.map((t) => order(t.order.clientOrderId, 'FILLED')),
    events: [event(1, 'metric', { symbol: BIP, mark: '50000' }), event(2, 'metric', { symbol: BIP, mark: '50010' })],
    health: [{ symbols: { [BIP]: { mark: '50005' } } }],
    exits: [{ code: 0, signal: null, sentByUs: 'SIGTERM', stderrTail: '' }],
    allowedExitCodes: [],
    ...overrides,
  };
}

describe('invariants over a run’s books', () => {
  it('find nothing wrong in books that agree', () => {
    expect(checkInvariants(observation())).toEqual([]);
  });

  it('catch a position above its notional cap plus one entry', () => {
    const trades = [remote('pb-1', 'BUY', '6', 1), remote('pb-2', 'BUY', '6', 2)]; // 12 × 50000 × 0.01 = $6000
    expect(checkInvariants(observation({ trades })).map((v) => v.invariant)).toEqual(['notional-cap']);
  });

  it('catch |position| growing in reduce-only, flips through zero included', () => {
    // Seeded long 2 (not the bot's order), then the bot's sells: 2 → 1 → -2.
    const trades = [
      remote('adversary-seed', 'BUY', '2', 1),
      remote('pb-1', 'SELL', '1', 2),
      remote('pb-2', 'SELL', '3', 3),
    ];
    const v = checkInvariants(
      observation({ trades, reduceOnly: true, orders: [order('pb-1', 'FILLED'), order('pb-2', 'FILLED')] }),
    );
    expect(v.map((x) => x.invariant)).toEqual(['reduce-only']);
    expect(v[0]?.detail).toContain('from 1 to -2');
  });

  it('catch an exchange order missing from orders.sqlite, or held there with another status', () => {
    const base = observation();
    expect(checkInvariants({ ...base, orders: base.orders.slice(1) }).map((v) => v.detail)).toEqual([
      expect.stringContaining('pb-1') as string,
    ]);
    expect(
      checkInvariants({ ...base, orders: [order('pb-1', 'SUBMITTED'), order('pb-2', 'FILLED')] })[0]?.detail,
    ).toContain('FILLED on the exchange but SUBMITTED');
  });

  it('ignore exchange orders that are not the bot’s (a seeded position)', () => {
    const trades = [remote('adversary-seed', 'BUY', '1', 1)];
    expect(checkInvariants(observation({ trades, orders: [] }))).toEqual([]);
  });

  it('catch an order recorded failed that the exchange filled', () => {
    const events = [...observation().events, event(3, 'order_failed', { clientId: 'pb-2', error: 'timeout' })];
    expect(checkInvariants(observation({ events })).map((v) => v.invariant)).toEqual(['no-false-failure']);
  });

  it('catch non-finite, non-positive and implausible marks, and symbols nobody subscribed to', () => {
    const events = [
      ...observation().events,
      event(3, 'metric', { symbol: BIP, mark: 'Infinity' }),
      event(4, 'metric', { symbol: BIP, mark: '0' }),
      event(5, 'metric', { symbol: BIP, mark: '0.5' }),
      event(6, 'metric', { symbol: 'NaN', mark: '50000' }),
    ];
    const details = checkInvariants(observation({ events })).map((v) => v.detail);
    expect(details).toEqual([
      expect.stringContaining('"Infinity"'),
      expect.stringContaining('= "0"'),
      expect.stringContaining('did not subscribe'),
      expect.stringContaining('mark 0.5 is implausible'),
    ] as string[]);
  });

  it('catch an exit by a crash or an undocumented code, not the kill -9 the suite sent', () => {
    const exits = [
      { code: null, signal: 'SIGKILL', sentByUs: 'SIGKILL' as const, stderrTail: '' },
      { code: 1, signal: null, sentByUs: undefined, stderrTail: 'boom' },
      { code: 4, signal: null, sentByUs: undefined, stderrTail: 'storage' },
    ];
    expect(checkInvariants(observation({ exits })).map((v) => v.detail)).toEqual([
      expect.stringContaining('code=1') as string,
      expect.stringContaining('code=4') as string,
    ]);
    expect(checkInvariants(observation({ exits, allowedExitCodes: [4] }))).toHaveLength(1);
  });

  it('take only plain positive decimals under 1e15 as prices', () => {
    expect(['50000', '0.5', 7].map(isSanePrice)).toEqual([true, true, true]);
    expect(['1e9000000000000001', 'NaN', '-1', '0', '', Number.POSITIVE_INFINITY, '2e15'].map(isSanePrice)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
