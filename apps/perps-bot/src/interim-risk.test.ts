import { Decimal, ManualClock, type Position, type PreTradeRequest } from '@perps-bot/core';
import { perpProduct } from './test-utils.js';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config/index.js';
import { ConfigLimitsRisk, type RiskLimits } from './interim-risk.js';
import { createRiskServices, riskLimitsFromConfig } from './risk-factory.js';

const limits: RiskLimits = {
  maxLeverage: 2,
  maxPositionSize: new Decimal(10000),
  dailyLossLimit: new Decimal(100),
  reduceOnlyMode: false,
  maxMarkStalenessSeconds: 180,
};

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
  product: perpProduct(),
  equity: new Decimal(10000),
  positions: [],
  ...extra,
});

describe('ConfigLimitsRisk (until LiveRiskManager.preTradeCheck is merged)', () => {
  it.each<[string, Partial<RiskLimits>, PreTradeRequest, string | undefined]>([
    ['an order within every limit', {}, order('BUY', '0.1'), undefined],
    ['a position over the maximum notional', {}, order('BUY', '0.21'), 'POSITION_SIZE'],
    ['leverage over the cap', { maxPositionSize: new Decimal(1e9) }, order('BUY', '0.5'), 'LEVERAGE'],
    ['leverage exactly at the cap', { maxPositionSize: new Decimal(1e9) }, order('BUY', '0.4'), undefined],
    ['leverage on spot is not capped', { maxPositionSize: new Decimal(1e9) }, order('BUY', '0.5', { product: perpProduct('BTC-USD', { marketType: 'SPOT' }) }), undefined],
    ['an opening order in reduce-only mode', { reduceOnlyMode: true }, order('BUY', '0.1'), 'REDUCE_ONLY'],
    ['a closing order in reduce-only mode', { reduceOnlyMode: true }, order('SELL', '0.1', { positions: [position('0.1')] }), undefined],
    ['a reduce-only order that would flip the position', {}, order('SELL', '0.3', { positions: [position('0.1')], reduceOnly: true }), 'REDUCE_ONLY'],
    ['covering a short', { reduceOnlyMode: true }, order('BUY', '0.1', { positions: [position('-0.2')] }), undefined],
    ['adding to a long counts the whole position', {}, order('BUY', '0.15', { positions: [position('0.1')] }), 'POSITION_SIZE'],
    ['no equity', {}, order('BUY', '0.1', { equity: new Decimal(0) }), 'INVALID_ORDER'],
  ])('%s', (_name, overrides, request, code) => {
    const decision = new ConfigLimitsRisk({ ...limits, ...overrides }, new ManualClock()).preTradeCheck(request);
    expect(decision.allowed ? undefined : decision.code).toBe(code);
  });

  it('stops opening orders after the daily loss limit, still lets positions close, and resets at UTC midnight', () => {
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const risk = new ConfigLimitsRisk(limits, clock);
    expect(risk.preTradeCheck(order('BUY', '0.01', { equity: new Decimal(10000) })).allowed).toBe(true);
    expect(risk.preTradeCheck(order('BUY', '0.01', { equity: new Decimal(9900) })).allowed).toBe(true); // exactly the limit
    const breached = risk.preTradeCheck(order('BUY', '0.01', { equity: new Decimal('9899.99') }));
    expect(breached).toEqual({ allowed: false, code: 'DAILY_LOSS', reason: 'daily loss 100.01 exceeds the limit 100; only reducing orders pass' });
    expect(risk.preTradeCheck(order('SELL', '0.01', { equity: new Decimal('9899.99'), positions: [position('0.05')] })).allowed).toBe(true);
    clock.set('2026-03-03T00:00:00Z');
    expect(risk.preTradeCheck(order('BUY', '0.01', { equity: new Decimal('9899.99') })).allowed).toBe(true);
  });

  it('treats a daily loss limit of 0 as no limit', () => {
    const risk = new ConfigLimitsRisk({ ...limits, dailyLossLimit: new Decimal(0) }, new ManualClock());
    risk.preTradeCheck(order('BUY', '0.01', { equity: new Decimal(10000) }));
    expect(risk.preTradeCheck(order('BUY', '0.01', { equity: new Decimal(1000) })).allowed).toBe(true);
  });

  it('receives every risk setting from the configuration (the reference dropped daily_loss_limit, §10)', () => {
    const { config } = loadConfig({ env: { RISK_DAILY_LOSS_LIMIT: '42.5', RISK_MAX_LEVERAGE: '1.5', RISK_REDUCE_ONLY_MODE: 'true', RISK_MAX_MARK_STALENESS_SECONDS: '30' } });
    const limitsFromConfig = riskLimitsFromConfig(config);
    expect({ ...limitsFromConfig, dailyLossLimit: limitsFromConfig.dailyLossLimit.toFixed(), maxPositionSize: limitsFromConfig.maxPositionSize.toFixed() }).toEqual({
      maxLeverage: 1.5,
      maxPositionSize: '10000',
      dailyLossLimit: '42.5',
      reduceOnlyMode: true,
      maxMarkStalenessSeconds: 30,
    });
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const services = createRiskServices(config, clock);
    expect((services.preTradeRisk as ConfigLimitsRisk).limits.dailyLossLimit.toFixed()).toBe('42.5');
    services.riskManager.recordMarkUpdate('BTC-PERP', clock.now());
    clock.advance(31_000);
    expect(services.riskManager.isMarkStale('BTC-PERP')).toBe(true);
  });
});
