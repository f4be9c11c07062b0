import {
  Decimal,
  ManualClock,
  MemoryEventStore,
  MemoryLogger,
  OrderOutcomeUnknownError,
  PerpsBotError,
  type ClosePositionRequest,
  type Order,
  type PlaceOrderRequest,
  type Position,
} from '@perps-bot/core';
import { MemoryOrdersStore } from '@perps-bot/stores/testing';
import { describe, expect, it } from 'vitest';
import type { Decision } from './decision.js';
import { OrderExecutor, type ExecutionRequest } from './order-executor.js';
import { emptyOrderCounters } from './order-stats.js';
import { long, perpProduct, TableRisk } from './test-utils.js';

const SYMBOL = 'BTC-PERP';
const buy: Decision = { action: 'BUY', reason: 'bullish', targetNotional: new Decimal(10000) };
const close: Decision = { action: 'CLOSE', reason: 'trailing stop' };

const position = (quantity: string): Position => ({
  symbol: SYMBOL,
  quantity: new Decimal(quantity).abs(),
  entryPrice: new Decimal(50000),
  markPrice: new Decimal(50000),
  unrealizedPnl: new Decimal(0),
  realizedPnl: new Decimal(0),
  leverage: null,
  side: quantity.startsWith('-') ? 'short' : 'long',
});

/** A broker whose every answer the test scripts; it remembers what it was sent and what it "holds". */
class ScriptedExchange {
  readonly sent: PlaceOrderRequest[] = [];
  readonly closes: ClosePositionRequest[] = [];
  readonly orders = new Map<string, Order>();
  /** Thrown by the next placeOrder after carrying the order out (a lost answer). */
  loseAnswer: Error | undefined;
  refuse: Error | undefined;
  positions: Position[] | Error = [];
  lookUpFails = false;
  onPlace: ((r: PlaceOrderRequest) => void) | undefined;
  withClose = false;

  get broker() {
    const closePosition = async (r: ClosePositionRequest): Promise<Order> => {
      this.closes.push(r);
      return this.#fill(r.clientId, r.symbol, 'SELL', r.quantity, true);
    };
    return {
      placeOrder: async (r: PlaceOrderRequest): Promise<Order> => {
        this.onPlace?.(r);
        this.sent.push(r);
        if (this.refuse) throw this.refuse;
        const order = this.#fill(r.clientId ?? 'none', r.symbol, r.side, r.quantity, r.reduceOnly ?? false);
        if (this.loseAnswer) {
          const lost = this.loseAnswer;
          this.loseAnswer = undefined;
          throw lost;
        }
        return order;
      },
      getOrder: async (id: string) => this.orders.get(id) ?? null,
      getOrderByClientId: async (clientId: string) => {
        if (this.lookUpFails) throw new PerpsBotError('NETWORK', 'connection reset');
        return [...this.orders.values()].find((o) => o.clientId === clientId) ?? null;
      },
      listPositions: async () => {
        if (this.positions instanceof Error) throw this.positions;
        return this.positions;
      },
      ...(this.withClose ? { closePosition } : {}),
    };
  }

  #fill(clientId: string, symbol: string, side: 'BUY' | 'SELL', quantity: Decimal, reduceOnly: boolean): Order {
    const now = new Date('2026-03-02T14:30:00.000Z');
    const order: Order = {
      id: `ex-${this.orders.size + 1}`,
      clientId,
      symbol,
      side,
      type: 'MARKET',
      quantity,
      price: null,
      stopPrice: null,
      tif: 'IOC',
      status: 'FILLED',
      filledQuantity: quantity,
      avgFillPrice: new Decimal(50000),
      reduceOnly,
      submittedAt: now,
      updatedAt: now,
    };
    this.orders.set(order.id, order);
    return order;
  }
}

function setup(options: { reduceOnlyMode?: boolean; withClose?: boolean } = {}) {
  const exchange = new ScriptedExchange();
  exchange.withClose = options.withClose ?? false;
  const clock = new ManualClock('2026-03-02T14:30:00.000Z');
  const logger = new MemoryLogger();
  const eventStore = new MemoryEventStore({ clock, jsonRoundTrip: true });
  const ordersStore = new MemoryOrdersStore();
  const stats = emptyOrderCounters();
  let n = 0;
  const executor = new OrderExecutor({
    botId: 'perps_bot',
    broker: exchange.broker,
    risk: new TableRisk(),
    logger,
    eventStore,
    ordersStore,
    stats,
    dryRun: false,
    reduceOnlyMode: options.reduceOnlyMode ?? false,
    timeInForce: 'GTC',
    clock,
    newClientOrderId: () => `c-${++n}`,
  });
  return { exchange, logger, eventStore, ordersStore, stats, executor };
}

const request = (decision: Decision, extra: Partial<ExecutionRequest> = {}): ExecutionRequest => ({
  symbol: SYMBOL,
  decision,
  mark: new Decimal(50000),
  product: perpProduct(),
  position: undefined,
  equity: new Decimal(100000),
  positions: [],
  ...extra,
});

const lost = () => new OrderOutcomeUnknownError(SYMBOL, 'c-1', 'POST /orders timed out');

describe('every order has a known outcome', () => {
  it('records the intent durably before the request is sent', async () => {
    const t = setup();
    let seen: unknown;
    t.exchange.onPlace = (r) => {
      seen = t.ordersStore.getIntent(r.clientId ?? '')?.state;
    };
    await t.executor.execute(request(buy));
    expect(seen).toBe('pending');
    expect(t.ordersStore.getIntent('c-1')).toMatchObject({
      state: 'placed',
      orderId: 'ex-1',
      symbol: SYMBOL,
      side: 'BUY',
    });
  });

  it('sends nothing when the intent cannot be recorded', async () => {
    const t = setup();
    t.ordersStore.failWrites = new Error('ENOSPC: no space left on device');
    const outcome = await t.executor.execute(request(buy));
    expect(outcome).toMatchObject({ status: 'skipped' });
    expect(t.exchange.sent).toEqual([]);
    expect(t.stats).toEqual({ attempted: 0, successful: 0, failed: 0, unknown: 0 });
    expect(t.eventStore.ofType('order_not_sent')[0]?.payload.reason).toMatch(/intent could not be recorded.*ENOSPC/);
  });

  it('a lost answer is unknown, not failed; it blocks the symbol until the look-up finds the filled order', async () => {
    const t = setup();
    t.exchange.loseAnswer = lost();
    const outcome = await t.executor.execute(request(buy));
    expect(outcome.status).toBe('unknown');
    expect(t.stats).toEqual({ attempted: 1, successful: 0, failed: 0, unknown: 1 });
    expect(t.eventStore.ofType('order_unknown')).toHaveLength(1);
    expect(t.eventStore.ofType('order_failed')).toHaveLength(0);
    expect(t.ordersStore.getIntent('c-1')?.state).toBe('unknown');

    const again = await t.executor.execute(request(buy));
    expect(again).toMatchObject({
      status: 'skipped',
      reason: 'an earlier order for BTC-PERP has no known outcome yet',
    });
    expect(t.exchange.sent).toHaveLength(1);

    await t.executor.outcomes.resolve();
    expect(t.ordersStore.get('ex-1')).toMatchObject({ clientId: 'c-1', status: 'FILLED' });
    expect(t.ordersStore.getIntent('c-1')).toMatchObject({ state: 'placed', orderId: 'ex-1' });
    expect(t.stats).toEqual({ attempted: 1, successful: 1, failed: 0, unknown: 0 });
    expect(t.eventStore.ofType('order_resolved')[0]?.payload).toMatchObject({
      clientId: 'c-1',
      outcome: 'placed',
      status: 'FILLED',
    });
    expect(t.executor.outcomes.isBlocked(SYMBOL)).toBe(false);
  });

  it('an unknown order the exchange does not have is recorded failed after the look-up', async () => {
    const t = setup();
    t.exchange.refuse = lost();
    expect((await t.executor.execute(request(buy))).status).toBe('unknown');
    await t.executor.outcomes.resolve();
    expect(t.ordersStore.getIntent('c-1')).toMatchObject({ state: 'failed', lastError: 'absent at the exchange' });
    expect(t.stats).toEqual({ attempted: 1, successful: 0, failed: 1, unknown: 0 });
    expect(t.eventStore.ofType('order_resolved')[0]?.payload).toMatchObject({ outcome: 'failed' });
  });

  it('keeps the symbol blocked while the look-up itself fails, and escalates after the bound', async () => {
    const t = setup();
    t.exchange.loseAnswer = lost();
    await t.executor.execute(request(buy));
    t.exchange.lookUpFails = true;
    for (let i = 0; i < 10; i++) await t.executor.outcomes.resolve();
    expect(t.executor.outcomes.isBlocked(SYMBOL)).toBe(true);
    expect(t.ordersStore.getIntent('c-1')).toMatchObject({ state: 'unknown', attempts: 10 });
    expect(t.eventStore.ofType('order_unresolved')).toHaveLength(1);
    expect(t.logger.at('error').at(-1)?.message).toMatch(
      /Could not look up order c-1 .*attempt 10.*Check the order on the exchange/,
    );
  });

  it('an order placed but not storable is unknown to our books until a look-up stores it', async () => {
    const t = setup();
    t.exchange.onPlace = () => {
      t.ordersStore.failWrites = new Error('disk I/O error');
    };
    const outcome = await t.executor.execute(request(buy));
    expect(outcome.status).toBe('unknown');
    expect(t.stats.unknown).toBe(1);
    t.ordersStore.failWrites = undefined;
    t.exchange.onPlace = undefined;
    await t.executor.outcomes.resolve();
    expect(t.ordersStore.get('ex-1')?.status).toBe('FILLED');
    expect(t.stats).toEqual({ attempted: 1, successful: 1, failed: 0, unknown: 0 });
  });

  it('an untyped error from the broker is unknown (it may have been sent); a typed refusal is failed', async () => {
    const t = setup();
    t.exchange.refuse = new TypeError('fetch failed');
    expect((await t.executor.execute(request(buy))).status).toBe('unknown');
    const u = setup();
    u.exchange.refuse = new PerpsBotError('EXCHANGE', 'INSUFFICIENT_FUND');
    expect((await u.executor.execute(request(buy))).status).toBe('failed');
    expect(u.ordersStore.getIntent('c-1')?.state).toBe('failed');
  });

  it('after a restart, intents left pending are looked up before anything else', async () => {
    const t = setup();
    t.exchange.loseAnswer = lost();
    await t.executor.execute(request(buy));
    // A new executor over the same store: the process restarted.
    const restarted = new OrderExecutor({
      botId: 'perps_bot',
      broker: t.exchange.broker,
      risk: new TableRisk(),
      logger: t.logger,
      eventStore: t.eventStore,
      ordersStore: t.ordersStore,
      stats: emptyOrderCounters(),
      dryRun: false,
      reduceOnlyMode: false,
      timeInForce: 'GTC',
    });
    expect(restarted.outcomes.loadUnresolved()).toBe(1);
    expect(restarted.outcomes.isBlocked(SYMBOL)).toBe(true);
    await restarted.outcomes.resolve();
    expect(t.ordersStore.getIntent('c-1')?.state).toBe('placed');
  });
});

describe('reduce-only is enforced by the bot alone', () => {
  it('sizes a reducing order from a positions read made just before sending, never above it', async () => {
    const t = setup();
    // The cycle's snapshot said long 2; the exchange now holds long 0.5.
    t.exchange.positions = [position('0.5')];
    await t.executor.execute(request(close, { position: long('2', '49000'), positions: [position('2')] }));
    expect(t.exchange.sent.map((r) => [r.side, r.quantity.toFixed(), r.reduceOnly])).toEqual([['SELL', '0.5', true]]);
  });

  it('sends nothing when that read fails', async () => {
    const t = setup();
    t.exchange.positions = new PerpsBotError('EXCHANGE', 'HTTP 503');
    const outcome = await t.executor.execute(
      request(close, { position: long('2', '49000'), positions: [position('2')] }),
    );
    expect(outcome).toMatchObject({ status: 'skipped' });
    expect(t.exchange.sent).toEqual([]);
    expect(t.eventStore.ofType('order_not_sent')[0]?.payload.reason).toMatch(
      /positions could not be read just before sending/,
    );
  });

  it('in reduce-only mode, an order that would open or grow a position is not sent', async () => {
    const t = setup({ reduceOnlyMode: true });
    t.exchange.positions = [position('1')];
    const outcome = await t.executor.execute(request(buy, { positions: [position('-1')] }));
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'it would not reduce the position (1 held)' });
    expect(t.exchange.sent).toEqual([]);
  });

  it('does not reduce again while the positions answer still shows the size before our last fill (lag)', async () => {
    const t = setup();
    t.exchange.positions = [position('2')];
    await t.executor.execute(request(close, { position: long('2', '49000'), positions: [position('2')] }));
    expect(t.exchange.sent).toHaveLength(1);
    // The exchange filled the SELL 2 but keeps serving "long 2".
    const outcome = await t.executor.execute(
      request(close, { position: long('2', '49000'), positions: [position('2')] }),
    );
    expect(outcome).toMatchObject({
      status: 'skipped',
      reason: 'the positions answer does not show our last fill in BTC-PERP yet',
    });
    expect(t.exchange.sent).toHaveLength(1);
    t.exchange.positions = [];
    expect(
      (await t.executor.execute(request(close, { position: long('2', '49000'), positions: [position('2')] }))).status,
    ).toBe('skipped');
    expect(t.exchange.sent).toHaveLength(1);
  });

  it('closes through the exchange’s closing call when the broker has one, sized from the fresh read', async () => {
    const t = setup({ withClose: true });
    t.exchange.positions = [position('0.7')];
    const outcome = await t.executor.execute(
      request(close, { position: long('2', '49000'), positions: [position('2')] }),
    );
    expect(outcome.status).toBe('placed');
    expect(t.exchange.closes.map((r) => [r.symbol, r.quantity.toFixed()])).toEqual([[SYMBOL, '0.7']]);
    expect(t.exchange.sent).toEqual([]);
    expect(t.eventStore.ofType('order_placed')[0]?.payload).toMatchObject({ via: 'close_position', quantity: '0.7' });
  });
});
