import {
  Decimal,
  ManualClock,
  MemoryEventStore,
  MemoryLogger,
  type Balance,
  type Position,
  type Product,
} from '@perps-bot/core';
import { LiveRiskManager, type RiskConfigInput } from '@perps-bot/risk';
import { MemoryOrdersStore } from '@perps-bot/stores/testing';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BOT_CONFIG, type BotConfig } from '../bot-config.js';
import { PerpsBot } from '../perps-bot.js';
import { ServiceRegistry } from '../service-registry.js';
import type { Decision, Strategy } from './decision.js';
import { perpProduct, ScriptedBroker, TableRisk } from './test-utils.js';

// The runtime risk gates of the cycle, with the LiveRiskManager the mark paths record into.
const MONDAY = '2026-03-02T14:30:00.000Z';
const BIP = 'BIP-20DEC30-CDE';

/** A scripted broker whose balances, positions and products the test sets. */
class AccountBroker extends ScriptedBroker {
  balances: Balance[] = [cash('100000')];
  positions: Position[] = [];
  readonly products = new Map<string, Product>();

  override async listBalances(): Promise<Balance[]> {
    return this.balances;
  }
  override async listPositions(): Promise<Position[]> {
    return this.positions;
  }
  override async getProduct(symbol: string): Promise<Product> {
    return this.products.get(symbol) ?? super.getProduct(symbol);
  }
}

function cash(total: string): Balance {
  return { asset: 'USD', total: new Decimal(total), available: new Decimal(total), hold: new Decimal(0) };
}

function position(symbol: string, quantity: string, mark: string, unrealizedPnl = '0'): Position {
  const q = new Decimal(quantity);
  return {
    symbol,
    quantity: q,
    entryPrice: new Decimal(mark),
    markPrice: new Decimal(mark),
    unrealizedPnl: new Decimal(unrealizedPnl),
    realizedPnl: new Decimal(0),
    leverage: null,
    side: q.isNegative() ? 'short' : 'long',
  };
}

/** A strategy that answers the listed decisions in turn, one per call (then holds). */
class ScriptedStrategy implements Strategy {
  constructor(readonly script: Decision[]) {}
  decide(): Decision {
    return this.script.shift() ?? { action: 'HOLD', reason: 'script done' };
  }
}

interface BotOptions {
  readonly broker: AccountBroker;
  readonly risk?: RiskConfigInput;
  readonly config?: Partial<BotConfig>;
  readonly clock?: ManualClock;
  readonly strategy?: Strategy;
  /** Orders pass the LiveRiskManager's own pre-trade check (as the app wires it) instead of the TableRisk. */
  readonly livePreTrade?: boolean;
}

async function bot(options: BotOptions) {
  const clock = options.clock ?? new ManualClock(MONDAY);
  const logger = new MemoryLogger();
  const eventStore = new MemoryEventStore({ clock });
  const riskManager = new LiveRiskManager({ clock, logger, config: options.risk ?? {}, eventStore });
  const preTrade = new TableRisk();
  const perpsBot = new PerpsBot({
    config: { ...DEFAULT_BOT_CONFIG, symbols: ['BTC-PERP'], shortMa: 2, longMa: 3, dryRun: true, ...options.config },
    registry: new ServiceRegistry({
      broker: options.broker,
      riskManager,
      eventStore,
      ordersStore: new MemoryOrdersStore(),
    }),
    logger,
    clock,
    env: {},
    trading: {
      preTradeRisk: options.livePreTrade ? riskManager : preTrade,
      ...(options.strategy ? { strategy: options.strategy } : {}),
    },
  });
  await perpsBot.initialize();
  const cycles = async (n: number, stepMs = 1000) => {
    for (let i = 0; i < n; i++) {
      await perpsBot.runCycle();
      clock.advance(stepMs);
    }
  };
  return { bot: perpsBot, riskManager, preTrade, logger, eventStore, clock, cycles };
}

const reasons = (t: Awaited<ReturnType<typeof bot>>) => Object.fromEntries(t.bot.tradingCycle?.lastDecisions ?? []);

describe('the cycle’s runtime risk gates', () => {
  it('skips every symbol while the kill switch is on', async () => {
    const t = await bot({ broker: new AccountBroker({ 'BTC-PERP': ['50000'] }), risk: { killSwitchEnabled: true } });
    await t.cycles(1);
    expect(reasons(t)['BTC-PERP']).toEqual({ action: 'HOLD', reason: 'Kill switch' });
    expect(t.logger.at('warn').map((r) => r.message)).toContain('Kill switch enabled - skipping BTC-PERP');
  });

  it('tracks the day’s P&L each cycle on cash + unrealised P&L, and a breach switches reduce-only on once', async () => {
    const broker = new AccountBroker({ 'BTC-PERP': ['50000'] });
    const t = await bot({ broker, risk: { dailyLossLimit: 100 } });
    broker.positions = [position('BTC-PERP', '1', '50000', '20')];
    await t.cycles(1);
    expect(t.riskManager.dailyPnl?.startOfDayEquity.toFixed()).toBe('100020');
    // Opening or closing a position moves neither figure; a real loss does.
    broker.positions = [];
    broker.balances = [cash('100020')];
    await t.cycles(1);
    expect(t.riskManager.dailyPnl?.dailyPnl.toFixed()).toBe('0');
    broker.balances = [cash('99919.99')];
    await t.cycles(2);
    expect(t.riskManager.dailyPnl?.breached).toBe(true);
    expect(t.riskManager.reduceOnlyMode).toBe(true);
    expect(t.eventStore.metrics().filter((m) => m.event_type === 'daily_loss_breach')).toHaveLength(1);
  });

  it('does not track the day’s P&L when the balances could not be fetched', async () => {
    const broker = new AccountBroker({ 'BTC-PERP': ['50000'] });
    broker.listBalances = async () => Promise.reject(new Error('503'));
    const t = await bot({ broker });
    await t.cycles(1);
    expect(t.riskManager.dailyPnl).toBeUndefined();
  });

  it('skips a symbol only past twice maxMarkStalenessSeconds (the reference’s halt); past once it logs and trades on', async () => {
    const clock = new ManualClock(MONDAY);
    // Quotes carry a fixed timestamp, so the mark ages with the clock.
    const t = await bot({
      broker: new AccountBroker({ 'BTC-PERP': ['50000'] }, { clock }),
      risk: { maxMarkStalenessSeconds: 100 },
      clock,
    });
    await t.cycles(1, 150_000);
    await t.cycles(1, 0);
    expect(reasons(t)['BTC-PERP']?.reason).toMatch(/^Insufficient data/);
    expect(t.logger.at('info').map((r) => r.message)).toContain(
      'Mark slightly stale for BTC-PERP: 150s > 100s - continuing',
    );
    t.clock.advance(60_000);
    await t.cycles(1);
    expect(reasons(t)['BTC-PERP']?.reason).toBe('Stale mark');
    expect(t.eventStore.metrics().filter((m) => m.event_type === 'stale_mark_price')).toHaveLength(1);
  });

  it('holds a symbol whose volatility trips the breaker’s kill switch', async () => {
    const swings = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? '50000' : '60000'));
    // The window holds longMa + 5 marks, so the breaker's 20 marks need a long MA of at least 15.
    const t = await bot({
      broker: new AccountBroker({ 'BTC-PERP': swings }),
      risk: { enableVolatilityCircuitBreaker: true },
      config: { shortMa: 5, longMa: 20 },
    });
    await t.cycles(25);
    expect(t.riskManager.killSwitchEnabled).toBe(true);
    expect(
      t.eventStore.metrics().some((m) => m.event_type === 'volatility_circuit_breaker' && m.action === 'kill_switch'),
    ).toBe(true);
    expect(reasons(t)['BTC-PERP']?.reason).toBe('Kill switch');
  });

  it('values a futures position in contracts × mark × contract size, and tells risk the contract sizes', async () => {
    const broker = new AccountBroker({ [BIP]: ['100000', '98000'] });
    broker.products.set(
      BIP,
      perpProduct(BIP, {
        marketType: 'FUTURE',
        contractSize: new Decimal('0.01'),
        stepSize: new Decimal(1),
        minSize: new Decimal(1),
      }),
    );
    broker.products.set(
      'ETP-20DEC30-CDE',
      perpProduct('ETP-20DEC30-CDE', { marketType: 'FUTURE', contractSize: new Decimal('0.1') }),
    );
    broker.positions = [position(BIP, '3', '100000'), position('ETP-20DEC30-CDE', '2', '3000')];
    const t = await bot({ broker, config: { symbols: [BIP] } });
    await t.cycles(2); // 98000 is past the 1% trailing stop from 100000: CLOSE the 3 contracts
    const [request] = t.preTrade.requests;
    expect([request?.side, request?.quantity.toFixed()]).toEqual(['SELL', '3']);
    // 100000 cash + 3 contracts × 98000 × 0.01 (not × 98000: that would be 394000)
    expect(request?.equity.toFixed()).toBe('102940');
    expect(request?.contractSizes).toEqual({ [BIP]: new Decimal('0.01'), 'ETP-20DEC30-CDE': new Decimal('0.1') });
  });

  describe('liquidation buffers, each cycle on cash + unrealised P&L', () => {
    // Cash 1000, cap 5, minimum 15%: a position may hold 4250 of notional. The perp holds 42.5 BTC and the CFM
    // future 5 contracts of 0.01 BTC; at the first mark exactly 4250 (no breach), at the second a hair over.
    const risk: RiskConfigInput = {
      maxLeverage: 5,
      minLiquidationBufferPct: '0.15',
      maxPositionPctPerSymbol: 1000,
      maxExposurePct: 1000,
    };
    const cases = [
      {
        name: 'perp (contract size 1)',
        product: perpProduct('BTC-PERP'),
        qty: '42.5',
        atEdge: '100',
        below: '100.01',
        buy: '100',
      },
      {
        name: 'CFM future (contract size 0.01)',
        product: perpProduct(BIP, {
          marketType: 'FUTURE',
          contractSize: new Decimal('0.01'),
          stepSize: new Decimal(1),
          minSize: new Decimal(1),
        }),
        qty: '5',
        atEdge: '85000',
        below: '85000.01',
        buy: '900',
      },
    ];

    async function trade(c: (typeof cases)[number], mark: string) {
      const { symbol } = c.product;
      const broker = new AccountBroker({ [symbol]: [mark] });
      broker.balances = [cash('1000')];
      broker.products.set(symbol, c.product);
      broker.positions = [position(symbol, c.qty, mark)];
      const strategy = new ScriptedStrategy([
        { action: 'BUY', reason: 'scripted entry', targetNotional: new Decimal(c.buy) },
        { action: 'CLOSE', reason: 'scripted exit' },
      ]);
      const t = await bot({ broker, risk, config: { symbols: [symbol] }, strategy, livePreTrade: true });
      await t.cycles(1);
      const buy = t.bot.tradingCycle?.lastReport?.outcomes.get(symbol);
      await t.cycles(1);
      const close = t.bot.tradingCycle?.lastReport?.outcomes.get(symbol);
      const breaches = t.eventStore.metrics().filter((m) => m.event_type === 'liquidation_buffer_breach');
      return { t, symbol, buy, close, breaches };
    }

    it.each(cases)(
      '$name: a breach flags the symbol, so the next BUY is refused REDUCE_ONLY and a CLOSE passes',
      async (c) => {
        const { t, symbol, buy, close, breaches } = await trade(c, c.below);
        expect(t.riskManager.symbolReduceOnly.get(symbol)).toBe('liquidation_buffer');
        expect(breaches).toHaveLength(1);
        expect(breaches[0]).toMatchObject({ symbol, equity: '1000', limit: '0.15' });
        expect(buy).toMatchObject({ status: 'rejected', code: 'REDUCE_ONLY', order: { side: 'BUY' } });
        expect(close).toMatchObject({ status: 'dry_run', order: { side: 'SELL', reduceOnly: true } });
        expect(close?.status === 'dry_run' ? close.order.quantity.toFixed() : undefined).toBe(c.qty);
        // The flag is per symbol: the account as a whole stays open.
        expect(t.riskManager.reduceOnlyMode).toBe(false);
      },
    );

    it.each(cases)('$name: exactly at the minimum nothing is flagged and the same BUY goes through', async (c) => {
      const { t, symbol, buy, breaches } = await trade(c, c.atEdge);
      expect(t.riskManager.isSymbolReduceOnly(symbol)).toBe(false);
      expect(breaches).toHaveLength(0);
      expect(buy).toMatchObject({ status: 'dry_run', order: { side: 'BUY' } });
    });

    it('is not checked when the balances could not be fetched (equity 0 would flag every position)', async () => {
      const broker = new AccountBroker({ 'BTC-PERP': ['100'] });
      broker.listBalances = async () => Promise.reject(new Error('503'));
      broker.positions = [position('BTC-PERP', '1', '100')];
      const t = await bot({ broker, risk });
      await t.cycles(1);
      expect(t.riskManager.symbolReduceOnly.size).toBe(0);
      expect(t.eventStore.metrics().filter((m) => m.event_type === 'liquidation_buffer_breach')).toHaveLength(0);
    });
  });
});
