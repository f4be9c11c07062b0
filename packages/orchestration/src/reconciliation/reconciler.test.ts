import {
  Decimal,
  ManualClock,
  MemoryEventStore,
  MemoryLogger,
  PerpsBotError,
  type ListOrdersFilter,
  type Order,
  type Position,
} from '@perps-bot/core';
import { LiveRiskManager } from '@perps-bot/risk';
import { MemoryOrdersStore } from '@perps-bot/stores/testing';
import { describe, expect, it } from 'vitest';
import { OrderOutcomes } from '../cycle/order-outcomes.js';
import { emptyOrderCounters } from '../cycle/order-stats.js';
import { PositionBook } from '../cycle/position-book.js';
import { RECONCILIATION_FAILED_REASON, Reconciler } from './reconciler.js';

const NOW = new Date('2026-03-02T14:30:00.000Z');
const order = (id: string, status: Order['status'], clientId = `c-${id}`): Order => ({
  id,
  clientId,
  symbol: 'BIP-20DEC30-CDE',
  side: 'BUY',
  type: 'LIMIT',
  quantity: new Decimal(1),
  price: new Decimal(100),
  stopPrice: null,
  tif: 'GTC',
  status,
  filledQuantity: new Decimal(0),
  avgFillPrice: null,
  reduceOnly: false,
  submittedAt: NOW,
  updatedAt: NOW,
});
const position = (symbol: string, qty: string): Position => ({
  symbol,
  quantity: new Decimal(qty),
  entryPrice: new Decimal(100),
  markPrice: new Decimal(100),
  unrealizedPnl: new Decimal(0),
  realizedPnl: new Decimal(0),
  leverage: null,
  side: 'long',
});

function setup() {
  const clock = new ManualClock(NOW);
  const logger = new MemoryLogger();
  const eventStore = new MemoryEventStore({ clock, jsonRoundTrip: true });
  const ordersStore = new MemoryOrdersStore();
  const risk = new LiveRiskManager({ clock });
  const exchange = { orders: [] as Order[], positions: [] as Position[] | Error, byClient: new Map<string, Order>() };
  const broker = {
    listOrders: async (filter?: ListOrdersFilter) =>
      exchange.orders.filter((o) => !filter?.status || o.status === filter.status),
    listPositions: async () => {
      if (exchange.positions instanceof Error) throw exchange.positions;
      return exchange.positions;
    },
    getOrder: async (id: string) => exchange.orders.find((o) => o.id === id) ?? null,
    getOrderByClientId: async (clientId: string) => exchange.byClient.get(clientId) ?? null,
  };
  const positions = new PositionBook((drift) => eventStore.appendEvent('position_drift', 'perps_bot', { ...drift }));
  const outcomes = new OrderOutcomes({
    botId: 'perps_bot',
    broker,
    ordersStore,
    eventStore,
    positions,
    stats: emptyOrderCounters(),
    logger,
    clock,
  });
  const reconciler = new Reconciler({
    botId: 'perps_bot',
    broker,
    outcomes,
    positions,
    ordersStore,
    eventStore,
    risk,
    logger,
    ordersIntervalMs: 45_000,
    positionsIntervalMs: 90_000,
  });
  return { exchange, ordersStore, eventStore, risk, outcomes, reconciler };
}

describe('Reconciler', () => {
  it('at startup settles intents an earlier run left pending and stores exchange open orders our books lack', async () => {
    const t = setup();
    t.ordersStore.recordIntent({
      clientId: 'c-left',
      symbol: 'BIP-20DEC30-CDE',
      side: 'BUY',
      quantity: new Decimal(1),
      reduceOnly: false,
      state: 'pending',
      orderId: null,
      lastError: null,
      attempts: 0,
      createdAt: NOW,
      updatedAt: NOW,
    });
    t.exchange.byClient.set('c-left', {
      ...order('ex-9', 'FILLED', 'c-left'),
      type: 'MARKET',
      filledQuantity: new Decimal(1),
    });
    t.exchange.orders = [order('ex-1', 'SUBMITTED')];
    expect(await t.reconciler.atStartup()).toBe(true);
    expect(t.ordersStore.getIntent('c-left')).toMatchObject({ state: 'placed', orderId: 'ex-9' });
    expect(t.ordersStore.get('ex-9')?.status).toBe('FILLED');
    expect(t.ordersStore.get('ex-1')?.status).toBe('SUBMITTED');
    expect(t.eventStore.ofType('order_drift')[0]?.payload).toMatchObject({
      orderId: 'ex-1',
      bot: null,
      exchange: 'SUBMITTED',
    });
    // The open order blocks its symbol until it is final.
    expect(t.outcomes.isBlocked('BIP-20DEC30-CDE')).toBe(true);
    t.exchange.orders = [order('ex-1', 'CANCELLED')];
    await t.reconciler.reconcileOrders();
    expect(t.ordersStore.get('ex-1')?.status).toBe('CANCELLED');
    expect(t.outcomes.isBlocked('BIP-20DEC30-CDE')).toBe(false);
    expect(t.risk.reduceOnlyMode).toBe(false);
  });

  it('a failed startup reconciliation switches reduce-only; the first pass that succeeds lifts that reason', async () => {
    const t = setup();
    t.exchange.positions = new PerpsBotError('EXCHANGE', 'HTTP 503');
    expect(await t.reconciler.atStartup()).toBe(false);
    expect([t.risk.reduceOnlyMode, t.risk.reduceOnlyReason]).toEqual([true, RECONCILIATION_FAILED_REASON]);
    expect(t.eventStore.ofType('reconciliation')[0]?.payload).toMatchObject({ phase: 'startup', ok: false });
    expect(await t.reconciler.runOnce()).toBe(false);
    expect(t.risk.reduceOnlyMode).toBe(true);
    t.exchange.positions = [];
    expect(await t.reconciler.runOnce()).toBe(true);
    expect(t.risk.reduceOnlyMode).toBe(false);
  });

  it('records position drift with both sides', async () => {
    const t = setup();
    t.exchange.positions = [position('BIP-20DEC30-CDE', '1')];
    await t.reconciler.atStartup();
    t.exchange.positions = [position('BIP-20DEC30-CDE', '4')];
    await t.reconciler.reconcilePositions();
    expect(t.eventStore.ofType('position_drift').map((e) => e.payload)).toEqual([
      { symbol: 'BIP-20DEC30-CDE', bot: '1', exchange: '4', reason: 'external_change' },
    ]);
  });
});
