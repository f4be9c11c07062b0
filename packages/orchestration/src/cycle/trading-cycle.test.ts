import { ManualClock, MemoryEventStore, MemoryLogger, type Brokerage } from '@perps-bot/core';
import { LiveRiskManager } from '@perps-bot/risk';
import { MemoryOrdersStore } from '@perps-bot/stores/testing';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BOT_CONFIG, type BotConfig } from '../bot-config.js';
import { PerpsBot } from '../perps-bot.js';
import { ServiceRegistry } from '../service-registry.js';
import type { TradingOptions } from './trading-cycle.js';
import { ScriptedBroker, TableRisk } from './test-utils.js';

// Monday 2026-03-02, 14:30 UTC.
const MONDAY = '2026-03-02T14:30:00.000Z';

async function tradingBot(options: {
  broker: Brokerage;
  config?: Partial<BotConfig>;
  trading?: Partial<TradingOptions>;
  clock?: ManualClock;
}) {
  const clock = options.clock ?? new ManualClock(MONDAY);
  const logger = new MemoryLogger();
  const eventStore = new MemoryEventStore({ clock, jsonRoundTrip: true });
  const ordersStore = new MemoryOrdersStore();
  const risk = new TableRisk();
  const bot = new PerpsBot({
    config: { ...DEFAULT_BOT_CONFIG, symbols: ['BTC-PERP', 'ETH-PERP'], shortMa: 2, longMa: 3, ...options.config },
    registry: new ServiceRegistry({
      broker: options.broker,
      riskManager: new LiveRiskManager({ clock }),
      eventStore,
      ordersStore,
    }),
    logger,
    clock,
    env: {},
    trading: { preTradeRisk: risk, newClientOrderId: () => 'client-1', ...options.trading },
  });
  await bot.initialize();
  const cycles = async (n: number) => {
    for (let i = 0; i < n; i++) {
      await bot.runCycle();
      clock.advance(1000);
    }
  };
  return { bot, logger, eventStore, ordersStore, risk, clock, cycles };
}

// Four marks with short 2 / long 3: flat, then up on the fourth → a bullish crossover on cycle 4 only. The
// deterministic broker fills BTC-PERP at its base price 50000, so the scripted marks start there.
const CROSS_UP = ['50000', '50000', '50000', '50500', '51000', '51500'];

describe('TradingCycle through PerpsBot.runCycle', () => {
  it('holds until it has long+1 marks, then buys on the crossover (dry run records it)', async () => {
    const broker = new ScriptedBroker({ 'BTC-PERP': CROSS_UP, 'ETH-PERP': ['10'] });
    const t = await tradingBot({ broker, config: { dryRun: true } });
    await t.cycles(3);
    expect(t.bot.tradingCycle?.lastDecisions.get('BTC-PERP')?.reason).toMatch(/Insufficient data: 3 of 4/);
    await t.cycles(1);
    expect(t.bot.tradingCycle?.lastDecisions.get('BTC-PERP')?.action).toBe('BUY');
    expect(t.bot.tradingCycle?.lastDecisions.get('ETH-PERP')?.action).toBe('HOLD');
    // Entry notional = equity 100000 × 0.05 × target leverage 2 = 10000 at mark 50500: 0.19801980198…, rounded
    // down to the 1e-8 step, is 0.1980198 (notional 9999.9999).
    expect(t.eventStore.ofType('dry_run_order').map((e) => e.payload)).toMatchObject([
      { symbol: 'BTC-PERP', side: 'BUY', quantity: '0.1980198', price: '50500', notional: '9999.9999' },
    ]);
    await t.cycles(2);
    // The trend continues: no new crossover, no second order.
    expect(t.eventStore.ofType('dry_run_order')).toHaveLength(1);
    expect(t.bot.orderStats).toEqual({ attempted: 0, successful: 0, failed: 0, unknown: 0 });
  });

  it('live, places the order, stores it and counts it; a cycle_metrics event per cycle', async () => {
    const broker = new ScriptedBroker({ 'BTC-PERP': CROSS_UP, 'ETH-PERP': ['10'] });
    const t = await tradingBot({ broker, config: { dryRun: false } });
    await t.cycles(4);
    expect(t.bot.orderStats).toEqual({ attempted: 1, successful: 1, failed: 0, unknown: 0 });
    expect(t.ordersStore.list().map((o) => [o.symbol, o.side, o.clientId])).toEqual([['BTC-PERP', 'BUY', 'client-1']]);
    const metrics = t.eventStore.ofType('cycle_metrics');
    expect(metrics.map((e) => e.payload.cycle)).toEqual([1, 2, 3, 4]);
    expect(metrics[3]?.payload).toMatchObject({
      inSession: true,
      marks: { 'BTC-PERP': '50500', 'ETH-PERP': '10' },
      decisions: { 'BTC-PERP': 'BUY', 'ETH-PERP': 'HOLD' },
      outcomes: { 'BTC-PERP': 'placed' },
      orderStats: { attempted: 1, successful: 1, failed: 0, unknown: 0 },
    });
    // With the long open, the next cycles hold it (the price keeps rising: no stop, no opposite signal).
    await t.cycles(2);
    expect(t.bot.tradingCycle?.lastDecisions.get('BTC-PERP')?.reason).toMatch(/Holding long/);
  });

  it('asks the pre-trade risk check with the order, the equity and the positions', async () => {
    const broker = new ScriptedBroker({ 'BTC-PERP': CROSS_UP, 'ETH-PERP': ['10'] });
    const t = await tradingBot({ broker, config: { dryRun: true } });
    await t.cycles(4);
    const [request] = t.risk.requests;
    expect(request?.symbol).toBe('BTC-PERP');
    expect(request?.equity.toFixed()).toBe('100000');
    expect(request?.price.toFixed()).toBe('50500');
    expect(request?.positions).toEqual([]);
  });

  it('makes no decisions outside the session but still records the cycle', async () => {
    const broker = new ScriptedBroker({ 'BTC-PERP': CROSS_UP, 'ETH-PERP': ['10'] });
    const t = await tradingBot({ broker, trading: { session: { start: '14:00', end: '15:00', days: ['sat'] } } });
    await t.cycles(4);
    expect(t.bot.tradingCycle?.lastDecisions.size).toBe(0);
    expect(t.bot.markWindows.size('BTC-PERP')).toBe(4);
    expect(t.eventStore.ofType('cycle_metrics').map((e) => e.payload.inSession)).toEqual([false, false, false, false]);
    expect(t.logger.at('info')[0]?.message).toBe(
      'Outside the trading session (14:00–15:00 UTC sat); no decisions this cycle',
    );
  });

  it('an error on one symbol never stops the others', async () => {
    const broker = new ScriptedBroker({ 'BTC-PERP': CROSS_UP, 'ETH-PERP': ['10'] });
    const getProduct = broker.getProduct.bind(broker);
    broker.getProduct = async (symbol: string) => {
      if (symbol === 'ETH-PERP') throw new Error('product lookup timed out');
      return getProduct(symbol);
    };
    broker.failFor('SOL-PERP');
    // Per-symbol quotes: failFor makes SOL-PERP's getQuote throw, which this test's mark history relies on.
    const t = await tradingBot({
      broker,
      config: { symbols: ['ETH-PERP', 'SOL-PERP', 'BTC-PERP'], dryRun: true, quoteBatching: false },
    });
    await t.cycles(4);
    expect(t.bot.tradingCycle?.lastReport?.errors).toEqual(new Map([['ETH-PERP', 'product lookup timed out']]));
    expect(t.bot.tradingCycle?.lastDecisions.get('SOL-PERP')?.reason).toBe('No marks');
    expect(t.bot.tradingCycle?.lastDecisions.get('BTC-PERP')?.action).toBe('BUY');
    expect(t.logger.at('error').some((r) => r.message === 'Error processing ETH-PERP: product lookup timed out')).toBe(
      true,
    );
    expect(t.eventStore.ofType('cycle_metrics')[3]?.payload.errors).toEqual({ 'ETH-PERP': 'product lookup timed out' });
  });

  it('asks the broker for each product once, and again after a failure', async () => {
    const broker = new ScriptedBroker({ 'BTC-PERP': CROSS_UP, 'ETH-PERP': ['10'] });
    const asked: string[] = [];
    const getProduct = broker.getProduct.bind(broker);
    broker.getProduct = async (symbol: string) => {
      asked.push(symbol);
      if (symbol === 'ETH-PERP' && asked.filter((s) => s === symbol).length === 1) throw new Error('timeout');
      return getProduct(symbol);
    };
    const t = await tradingBot({ broker });
    await t.cycles(3);
    expect(asked.sort()).toEqual(['BTC-PERP', 'ETH-PERP', 'ETH-PERP']);
  });

  it('decides nothing when balances cannot be fetched (unknown is not "none")', async () => {
    const broker = new ScriptedBroker({ 'BTC-PERP': CROSS_UP, 'ETH-PERP': ['10'] });
    broker.listBalances = async () => {
      throw new Error('503');
    };
    const t = await tradingBot({ broker });
    await t.cycles(1);
    expect(t.logger.at('warn').map((r) => r.message)).toContain('Could not fetch balances: 503; no orders this cycle');
    expect(t.bot.tradingCycle?.lastDecisions.get('BTC-PERP')?.reason).toBe('Account state unknown');
  });

  it('skips a symbol whose mark is stale', async () => {
    const clock = new ManualClock(MONDAY);
    const broker = new ScriptedBroker({ 'BTC-PERP': CROSS_UP, 'ETH-PERP': ['10'] }, { clock });
    const t = await tradingBot({ broker, clock });
    await t.cycles(1);
    // Quotes carry a fixed timestamp; ten minutes later that mark is older than the 180 s limit.
    clock.advance(600_000);
    await t.cycles(1);
    expect(t.bot.tradingCycle?.lastDecisions.get('BTC-PERP')?.reason).toBe('Stale mark');
  });

  it('without trading options a cycle only updates marks (the characterised behaviour)', async () => {
    const clock = new ManualClock(MONDAY);
    const eventStore = new MemoryEventStore({ clock, jsonRoundTrip: true });
    const bot = new PerpsBot({
      config: { ...DEFAULT_BOT_CONFIG, symbols: ['BTC-PERP'] },
      registry: new ServiceRegistry({ broker: new ScriptedBroker({ 'BTC-PERP': CROSS_UP }), eventStore }),
      logger: new MemoryLogger(),
      clock,
      env: {},
    });
    await bot.initialize();
    await bot.runCycle();
    expect(bot.tradingCycle).toBeUndefined();
    expect(eventStore.count()).toBe(0);
    expect(bot.markWindows.size('BTC-PERP')).toBe(1);
  });
});
