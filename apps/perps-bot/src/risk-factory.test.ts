import { DeterministicBroker, syntheticProduct } from '@perps-bot/broker-adapters';
import {
  ConfigError,
  Decimal,
  ManualClock,
  MemoryEventStore,
  MemoryLogger,
  type Position,
  type PreTradeRequest,
} from '@perps-bot/core';
import { MemoryOrdersStore } from '@perps-bot/stores/testing';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config/index.js';
import { createRiskManager, riskConfigFor, riskLimitsFromConfig } from './risk-factory.js';

import { buildTradingBot } from './wiring.js';

const configFrom = (
  env: NodeJS.ProcessEnv,
  flags: Parameters<typeof loadConfig>[0] extends infer I ? (I extends { flags?: infer F } ? F : never) : never = {},
) => loadConfig({ env, flags }).config;

const position = (quantity: string): Position => ({
  symbol: 'BTC-PERP',
  quantity: new Decimal(quantity),
  entryPrice: new Decimal(50000),
  markPrice: new Decimal(50000),
  unrealizedPnl: new Decimal(0),
  realizedPnl: new Decimal(0),
  leverage: null,
  side: quantity.startsWith('-') ? 'short' : 'long',
});

const order = (side: 'BUY' | 'SELL', quantity: string, extra: Partial<PreTradeRequest> = {}): PreTradeRequest => ({
  symbol: 'BTC-PERP',
  side,
  quantity: new Decimal(quantity),
  price: new Decimal(50000),
  product: syntheticProduct('BTC-PERP'),
  equity: new Decimal(100000),
  positions: [],
  ...extra,
});

const riskFor = (env: NodeJS.ProcessEnv, flags = {}) =>
  createRiskManager(configFrom(env, flags), {
    clock: new ManualClock('2026-03-02T09:00:00Z'),
    logger: new MemoryLogger(),
    env,
  });

describe('the app’s risk: LiveRiskManager from the RISK_* variables and the app’s limits', () => {
  it('receives every risk setting of the configuration (the reference dropped daily_loss_limit, §10)', () => {
    const config = configFrom({
      RISK_DAILY_LOSS_LIMIT: '42.5',
      RISK_MAX_LEVERAGE: '1.5',
      RISK_REDUCE_ONLY_MODE: 'true',
      RISK_MAX_MARK_STALENESS_SECONDS: '30',
    });
    const limits = riskLimitsFromConfig(config);
    expect({
      ...limits,
      dailyLossLimit: limits.dailyLossLimit.toFixed(),
      maxPositionSize: limits.maxPositionSize.toFixed(),
    }).toEqual({
      maxLeverage: 1.5,
      maxPositionSize: '10000',
      dailyLossLimit: '42.5',
      reduceOnlyMode: true,
      maxMarkStalenessSeconds: 30,
    });
    const risk = createRiskManager(config, { clock: new ManualClock(), logger: new MemoryLogger(), env: {} });
    expect([
      risk.config.dailyLossLimit.toFixed(),
      risk.config.maxLeverage.toFixed(),
      risk.config.maxMarkStalenessSeconds,
      risk.reduceOnlyMode,
    ]).toEqual(['42.5', '1.5', 30, true]);
  });

  it('lets the profile, config file and flags win over the risk package’s defaults (canary: leverage 1, daily loss 10)', () => {
    const risk = riskFor({}, { profile: 'canary', dryRun: true });
    expect([risk.config.maxLeverage.toFixed(), risk.config.dailyLossLimit.toFixed(), risk.reduceOnlyMode]).toEqual([
      '1',
      '10',
      true,
    ]);
    expect(risk.config.maxNotionalPerSymbol).toEqual({ 'BIP-20DEC30-CDE': new Decimal(500) });
  });

  it('passes the RISK_* settings the app has no setting for straight through', () => {
    const risk = riskFor({
      RISK_MAX_EXPOSURE_PCT: '0.5',
      RISK_SLIPPAGE_GUARD_BPS: '12',
      RISK_ENABLE_VOLATILITY_CB: 'yes',
    });
    expect([
      risk.config.maxExposurePct.toFixed(),
      risk.config.slippageGuardBps.toFixed(),
      risk.config.enableVolatilityCircuitBreaker,
    ]).toEqual(['0.5', '12', true]);
  });

  it('caps every configured symbol at maxPositionSize, unless RISK_MAX_NOTIONAL_PER_SYMBOL names the symbol itself', () => {
    const config = riskConfigFor(
      configFrom({ PERPS_MAX_POSITION_SIZE: '2500', RISK_MAX_NOTIONAL_PER_SYMBOL: 'ETH-PERP:100,SOL-PERP:7' }),
      {
        RISK_MAX_NOTIONAL_PER_SYMBOL: 'ETH-PERP:100,SOL-PERP:7',
      },
    );
    expect(config.maxNotionalPerSymbol).toEqual({
      'BTC-PERP': new Decimal(2500),
      'ETH-PERP': new Decimal(100),
      'SOL-PERP': new Decimal(7),
    });
  });

  it('refuses a bad RISK_* variable with a ConfigError naming it', () => {
    let error: unknown;
    try {
      riskConfigFor(configFrom({}), { RISK_MAX_EXPOSURE_PCT: 'lots' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^Invalid risk setting RISK_MAX_EXPOSURE_PCT/);
  });

  it.each<[string, NodeJS.ProcessEnv, PreTradeRequest, string | undefined]>([
    ['an order within every limit', {}, order('BUY', '0.1'), undefined],
    [
      'a position over maxPositionSize (the per-symbol notional cap)',
      { PERPS_MAX_POSITION_SIZE: '4000' },
      order('BUY', '0.1'),
      'POSITION_SIZE',
    ],
    [
      'leverage over maxLeverage',
      { RISK_MAX_LEVERAGE: '0.5', RISK_MAX_POSITION_PCT_PER_SYMBOL: '10' },
      order('BUY', '1.5'),
      'LEVERAGE',
    ],
    ['an opening order in reduce-only mode', { RISK_REDUCE_ONLY_MODE: 'true' }, order('BUY', '0.1'), 'REDUCE_ONLY'],
    [
      'a closing order in reduce-only mode',
      { RISK_REDUCE_ONLY_MODE: 'true' },
      order('SELL', '0.1', { positions: [position('0.1')] }),
      undefined,
    ],
  ])('pre-trade: %s', (_name, env, request, code) => {
    const decision = riskFor(env).preTradeCheck(request);
    expect(decision.allowed ? undefined : decision.code).toBe(code);
  });

  it('stops opening orders past the daily loss limit (0 = no limit), still lets positions close', () => {
    const risk = riskFor({ RISK_DAILY_LOSS_LIMIT: '100' });
    risk.trackDailyPnl(new Decimal(100000));
    risk.trackDailyPnl(new Decimal('99899.99'));
    expect(risk.preTradeCheck(order('BUY', '0.01'))).toMatchObject({ allowed: false, code: 'DAILY_LOSS' });
    expect(risk.preTradeCheck(order('SELL', '0.01', { positions: [position('0.05')] })).allowed).toBe(true);
    const unlimited = riskFor({ RISK_DAILY_LOSS_LIMIT: '0' });
    unlimited.trackDailyPnl(new Decimal(100000));
    unlimited.trackDailyPnl(new Decimal(1));
    expect(unlimited.preTradeCheck(order('BUY', '0.01')).allowed).toBe(true);
  });

  it('is one instance in the bot: the registry’s risk manager (marks recorded there) is the pre-trade check', async () => {
    const clock = new ManualClock('2026-03-02T14:30:00.000Z');
    const config = configFrom({ PERPS_SHORT_MA: '2', PERPS_LONG_MA: '3' });
    const eventStore = new MemoryEventStore({ clock });
    const bot = await buildTradingBot(config, {
      broker: new DeterministicBroker({ seed: 1, clock }),
      eventStore,
      ordersStore: new MemoryOrdersStore(),
      logger: new MemoryLogger(),
      clock,
      env: {},
    });
    await bot.runCycle();
    expect(bot.tradingCycle?.executor.risk).toBe(bot.riskManager);
    expect(bot.registry.riskManager).toBe(bot.riskManager);
    expect([...bot.riskManager.lastMarkUpdate.keys()]).toEqual(['BTC-PERP', 'ETH-PERP']);
    // So a mark the bot recorded ages for the pre-trade check too: past twice the limit, orders halt.
    clock.advance(400_000);
    expect(bot.riskManager.preTradeCheck(order('BUY', '0.01'))).toMatchObject({ allowed: false, code: 'STALE_MARK' });
  });
});
