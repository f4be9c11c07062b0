import { DeterministicBroker } from '@perps-bot/broker-adapters';
import {
  Decimal,
  ManualClock,
  MemoryEventStore,
  MemoryLogger,
  PerpsBotError,
  type Order,
  type PlaceOrderRequest,
} from '@perps-bot/core';
import { MemoryOrdersStore } from '@perps-bot/stores/testing';
import { describe, expect, it, vi } from 'vitest';
import type { Decision } from './decision.js';
import { OrderExecutor, type ExecutionRequest, type OrderExecutorOptions } from './order-executor.js';
import { emptyOrderCounters } from './order-stats.js';
import { TableRisk, long, perpProduct } from './test-utils.js';

/** The broker calls a stub does not script: no positions, no order found by client id. */
const stubs = { listPositions: async () => [], getOrderByClientId: async () => null };

const buy: Decision = { action: 'BUY', reason: 'bullish MA crossover', targetNotional: new Decimal(10000) };

function setup(overrides: Partial<OrderExecutorOptions> = {}) {
  const clock = new ManualClock('2026-03-02T14:30:00.000Z');
  const broker = new DeterministicBroker({ seed: 1, clock });
  const logger = new MemoryLogger();
  const eventStore = new MemoryEventStore({ clock, jsonRoundTrip: true });
  const ordersStore = new MemoryOrdersStore();
  const stats = emptyOrderCounters();
  const risk = new TableRisk();
  let n = 0;
  const executor = new OrderExecutor({
    botId: 'perps_bot',
    broker,
    risk,
    logger,
    eventStore,
    ordersStore,
    stats,
    dryRun: false,
    reduceOnlyMode: false,
    timeInForce: 'GTC',
    newClientOrderId: () => `client-${++n}`,
    ...overrides,
  });
  return { broker, logger, eventStore, ordersStore, stats, risk, executor };
}

const request = (decision: Decision, extra: Partial<ExecutionRequest> = {}): ExecutionRequest => ({
  symbol: 'BTC-PERP',
  decision,
  mark: new Decimal(50000),
  product: perpProduct(),
  position: undefined,
  equity: new Decimal(100000),
  positions: [],
  ...extra,
});

describe('OrderExecutor', () => {
  it('in a dry run records the order it would place and places nothing', async () => {
    const t = setup({ dryRun: true });
    const outcome = await t.executor.execute(request(buy));
    expect(outcome.status).toBe('dry_run');
    expect(t.logger.at('info').map((r) => r.message)).toEqual([
      'DRY RUN: Would execute BUY 0.2 BTC-PERP MARKET (notional 10000, GTC): bullish MA crossover',
    ]);
    expect(t.eventStore.ofType('dry_run_order').map((e) => e.payload)).toEqual([
      {
        symbol: 'BTC-PERP',
        side: 'BUY',
        type: 'MARKET',
        quantity: '0.2',
        price: '50000',
        notional: '10000',
        reduceOnly: false,
        timeInForce: 'GTC',
        clientId: 'client-1',
        reason: 'bullish MA crossover',
      },
    ]);
    expect(await t.broker.listOrders()).toEqual([]);
    expect(t.ordersStore.count()).toBe(0);
    expect(t.stats).toEqual({ attempted: 0, successful: 0, failed: 0, unknown: 0 });
    expect(t.risk.requests).toHaveLength(1);
  });

  it('live, places the order through the broker with a client order id and stores it', async () => {
    const t = setup();
    const outcome = await t.executor.execute(request(buy));
    expect(outcome.status).toBe('placed');
    const [order] = await t.broker.listOrders();
    expect(order?.clientId).toBe('client-1');
    expect(order?.quantity.toFixed()).toBe('0.2');
    expect(order?.side).toBe('BUY');
    expect(t.ordersStore.get(order?.id ?? '')).toEqual(order);
    expect(t.stats).toEqual({ attempted: 1, successful: 1, failed: 0, unknown: 0 });
    expect(t.eventStore.ofType('order_placed')).toHaveLength(1);
    expect(t.eventStore.ofType('dry_run_order')).toHaveLength(0);
    const positions = await t.broker.listPositions();
    expect(positions.map((p) => p.quantity.toFixed())).toEqual(['0.2']);
  });

  it('closes a whole long with a reduce-only SELL', async () => {
    const t = setup();
    // The paper ledger refuses a reduce-only order with nothing to reduce, so hold the position first.
    await t.broker.placeOrder({ symbol: 'BTC-PERP', side: 'BUY', type: 'MARKET', quantity: new Decimal('0.3') });
    await t.executor.execute(request({ action: 'CLOSE', reason: 'trailing stop' }, { position: long('0.3', '49000') }));
    const [, order] = await t.broker.listOrders();
    expect([order?.side, order?.quantity.toFixed(), order?.reduceOnly, order?.status]).toEqual([
      'SELL',
      '0.3',
      true,
      'FILLED',
    ]);
    expect(await t.broker.listPositions()).toEqual([]);
  });

  it('marks every order reduce-only in reduce-only mode and uses the configured time in force', async () => {
    const t = setup({ reduceOnlyMode: true, timeInForce: 'IOC' });
    await t.broker.placeOrder({ symbol: 'BTC-PERP', side: 'SELL', type: 'MARKET', quantity: new Decimal('0.5') });
    const placed = vi.spyOn(t.broker, 'placeOrder');
    await t.executor.execute(request(buy));
    expect(placed).toHaveBeenCalledTimes(1);
    expect(placed.mock.calls[0]?.[0]).toMatchObject({ reduceOnly: true, tif: 'IOC', side: 'BUY' });
  });

  it('counts a broker failure as failed, records it, and does not throw', async () => {
    const failing = {
      ...stubs,
      placeOrder: async (_r: PlaceOrderRequest): Promise<Order> => {
        throw new PerpsBotError('EXCHANGE', 'insufficient funds');
      },
      getOrder: async () => null,
    };
    const t = setup({ broker: failing });
    const outcome = await t.executor.execute(request(buy));
    expect(outcome).toMatchObject({ status: 'failed', error: 'insufficient funds' });
    expect(t.stats).toEqual({ attempted: 1, successful: 0, failed: 1, unknown: 0 });
    expect(t.eventStore.ofType('order_failed')[0]?.payload).toMatchObject({
      symbol: 'BTC-PERP',
      error: 'insufficient funds',
    });
    expect(t.logger.at('error')[0]?.message).toBe('Order for BTC-PERP failed: insufficient funds');
  });

  it('counts an accepted order as placed even when reading it back fails (the order exists on the exchange)', async () => {
    const t = setup();
    const broker = {
      ...stubs,
      placeOrder: (r: PlaceOrderRequest) => t.broker.placeOrder(r),
      getOrder: async (): Promise<Order | null> => Promise.reject(new Error('HTTP 503')),
    };
    const executor = new OrderExecutor({ ...baseOptions(t), broker, newClientOrderId: () => 'client-x' });
    const outcome = await executor.execute(request(buy));
    expect(outcome).toMatchObject({ status: 'placed', placed: { clientId: 'client-x', symbol: 'BTC-PERP' } });
    expect(t.stats).toEqual({ attempted: 1, successful: 1, failed: 0, unknown: 0 });
    expect(t.ordersStore.count()).toBe(1);
    expect(t.logger.at('warn').map((r) => r.message)).toEqual([
      'Order paper-1 for BTC-PERP was accepted but could not be read back: HTTP 503',
    ]);
  });

  it('hands the positions’ contract sizes to the pre-trade check', async () => {
    const t = setup({ dryRun: true });
    const contractSizes = { 'BIP-20DEC30-CDE': new Decimal('0.01') };
    await t.executor.execute(request(buy, { contractSizes }));
    expect(t.risk.requests[0]?.contractSizes).toBe(contractSizes);
  });

  it.each([true, false])(
    'stops an order the risk check rejects (dry run %s): nothing placed, nothing counted',
    async (dryRun) => {
      const t = setup({ dryRun });
      const risk = new TableRisk([
        [
          'leverage over the cap',
          (r) => r.quantity.times(r.price).div(r.equity).greaterThan(0.05),
          { allowed: false, code: 'LEVERAGE', reason: 'leverage 0.1 above cap' },
        ],
      ]);
      const executor = new OrderExecutor({ ...baseOptions(t), dryRun, risk });
      const outcome = await executor.execute(request(buy));
      expect(outcome).toMatchObject({ status: 'rejected', code: 'LEVERAGE' });
      expect(await t.broker.listOrders()).toEqual([]);
      expect(t.stats).toEqual({ attempted: 0, successful: 0, failed: 0, unknown: 0 });
      expect(t.eventStore.ofType('risk_rejected')[0]?.payload).toMatchObject({ code: 'LEVERAGE', quantity: '0.2' });
      expect(t.eventStore.ofType('dry_run_order')).toHaveLength(0);
    },
  );

  it('rounds the quantity down to the product step and skips an order below the minimum', async () => {
    const t = setup();
    const coarse = perpProduct('BTC-PERP', { stepSize: new Decimal('0.001'), minSize: new Decimal('0.001') });
    await t.executor.execute(request({ ...buy, targetNotional: new Decimal('10049') }, { product: coarse }));
    expect((await t.broker.listOrders())[0]?.quantity.toFixed()).toBe('0.2');
    const outcome = await t.executor.execute(
      request({ ...buy, targetNotional: new Decimal('40') }, { product: coarse }),
    );
    expect(outcome).toEqual({ status: 'skipped', reason: 'quantity 0 is below the minimum size 0.001' });
  });

  it('sizes a CFM future in contracts (notional / (mark × contract size))', async () => {
    const t = setup({ dryRun: true });
    const nano = perpProduct('BIP-20DEC30-CDE', {
      marketType: 'FUTURE',
      contractSize: new Decimal('0.01'),
      stepSize: new Decimal(1),
      minSize: new Decimal(1),
    });
    await t.executor.execute(request(buy, { symbol: 'BIP-20DEC30-CDE', product: nano }));
    expect(t.eventStore.ofType('dry_run_order')[0]?.payload).toMatchObject({ quantity: '20', notional: '10000' });
  });

  it('places one order at a time even when symbols execute concurrently', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const slow = {
      ...stubs,
      placeOrder: async (r: PlaceOrderRequest): Promise<Order> => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
        const now = new Date(0);
        return {
          id: `o-${r.symbol}`,
          clientId: r.clientId ?? null,
          symbol: r.symbol,
          side: r.side,
          type: r.type,
          quantity: r.quantity,
          price: null,
          stopPrice: null,
          tif: 'GTC',
          status: 'FILLED',
          filledQuantity: r.quantity,
          avgFillPrice: null,
          reduceOnly: false,
          submittedAt: now,
          updatedAt: now,
        };
      },
      getOrder: async () => null,
    };
    const t = setup({ broker: slow });
    await Promise.all(
      ['BTC-PERP', 'ETH-PERP', 'SOL-PERP'].map((symbol) => t.executor.execute(request(buy, { symbol }))),
    );
    expect(maxInFlight).toBe(1);
    expect(t.stats).toEqual({ attempted: 3, successful: 3, failed: 0, unknown: 0 });
    expect(t.ordersStore.count()).toBe(3);
  });
});

function baseOptions(t: ReturnType<typeof setup>): OrderExecutorOptions {
  return {
    botId: 'perps_bot',
    broker: t.broker,
    risk: t.risk,
    logger: t.logger,
    eventStore: t.eventStore,
    ordersStore: t.ordersStore,
    stats: t.stats,
    dryRun: false,
    reduceOnlyMode: false,
    timeInForce: 'GTC',
  };
}
