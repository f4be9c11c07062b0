import { ConfigError, Decimal, ManualClock } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { LiveRiskManager } from './live-risk-manager.js';
import { DEFAULT_RISK_CONFIG, parseRiskConfig } from './risk-config.js';

const thrown = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
};

describe('RiskConfig defaults (the reference RiskConfig)', () => {
  it.each([
    ['killSwitchEnabled', false],
    ['reduceOnlyMode', false],
    ['maxLeverage', '5'],
    ['minLiquidationBufferPct', '0.15'],
    ['enablePreTradeLiqProjection', true],
    ['defaultMaintenanceMarginRate', '0.005'],
    ['maxPositionPctPerSymbol', '0.2'],
    ['maxExposurePct', '0.8'],
    ['dailyLossLimit', '100'],
    ['maxMarkStalenessSeconds', 180],
    ['slippageGuardBps', '50'],
    ['enableVolatilityCircuitBreaker', false],
    ['volatilityWindowPeriods', 20],
    ['volatilityWarningThreshold', 0.15],
    ['volatilityReduceOnlyThreshold', 0.2],
    ['volatilityKillSwitchThreshold', 0.25],
    ['circuitBreakerCooldownMinutes', 30],
    ['daytimeStartUtc', null],
    ['daytimeEndUtc', null],
  ] as const)('%s defaults to %s', (setting, expected) => {
    const value = parseRiskConfig({})[setting];
    expect(value instanceof Decimal ? value.toFixed() : value).toBe(expected);
  });

  it('has no per-symbol caps by default', () => {
    const config = parseRiskConfig(undefined);
    expect(config.maxNotionalPerSymbol).toEqual({});
    expect(config.leverageMaxPerSymbol).toEqual({});
  });
});

describe('parseRiskConfig', () => {
  it('accepts decimals as numbers, strings or Decimals, exactly', () => {
    const config = parseRiskConfig({ maxLeverage: 3, dailyLossLimit: '250.10', maxExposurePct: new Decimal('0.5') });
    expect(config.maxLeverage.toFixed()).toBe('3');
    expect(config.dailyLossLimit.toFixed()).toBe('250.1');
    expect(config.maxExposurePct.toFixed()).toBe('0.5');
  });

  it("accepts the reference's snake_case keys (a risk JSON file)", () => {
    const config = parseRiskConfig({
      max_leverage: 2,
      leverage_max_per_symbol: { 'BTC-PERP': 3 },
      kill_switch_enabled: 'true',
    });
    expect(config.maxLeverage.toFixed()).toBe('2');
    expect(config.leverageMaxPerSymbol['BTC-PERP']?.toFixed()).toBe('3');
    expect(config.killSwitchEnabled).toBe(true);
  });

  it('reads a per-symbol map from its SYMBOL:VALUE string form', () => {
    const config = parseRiskConfig({ maxNotionalPerSymbol: 'BTC-PERP:1000, ETH-PERP:500.5' });
    expect(Object.fromEntries(Object.entries(config.maxNotionalPerSymbol).map(([k, v]) => [k, v.toFixed()]))).toEqual({
      'BTC-PERP': '1000',
      'ETH-PERP': '500.5',
    });
  });

  it.each([
    { input: { maxLeverage: -1 }, setting: 'maxLeverage', says: 'greater than 0' },
    { input: { maxLeverage: 0 }, setting: 'maxLeverage', says: 'greater than 0' },
    { input: { maxLeverage: 'five' }, setting: 'maxLeverage', says: 'must be a decimal number, got "five"' },
    { input: { minLiquidationBufferPct: 1 }, setting: 'minLiquidationBufferPct', says: 'less than 1' },
    { input: { dailyLossLimit: -0.01 }, setting: 'dailyLossLimit', says: 'at least 0' },
    {
      input: { leverageMaxPerSymbol: { 'BTC-PERP': 0 } },
      setting: 'leverageMaxPerSymbol.BTC-PERP',
      says: 'greater than 0',
    },
    { input: { maxNotionalPerSymbol: 'BTC-PERP' }, setting: 'maxNotionalPerSymbol', says: 'SYMBOL:VALUE' },
    { input: { killSwitchEnabled: 'maybe' }, setting: 'killSwitchEnabled', says: 'must be a boolean' },
    { input: { maxMarkStalenessSeconds: 0 }, setting: 'maxMarkStalenessSeconds', says: 'greater than 0' },
    { input: { volatilityWindowPeriods: 10 }, setting: 'volatilityWindowPeriods', says: 'at least 11' },
    { input: { volatilityWindowPeriods: 20.5 }, setting: 'volatilityWindowPeriods', says: 'whole number' },
    { input: { daytimeStartUtc: '24:00', daytimeEndUtc: '06:00' }, setting: 'daytimeStartUtc', says: 'HH:MM' },
    { input: { daytimeStartUtc: '08:00' }, setting: 'daytimeEndUtc', says: 'set together' },
    {
      input: { volatilityReduceOnlyThreshold: 0.1 },
      setting: 'volatilityReduceOnlyThreshold',
      says: 'at least volatilityWarningThreshold (0.15)',
    },
    { input: { maxLeverag: 3 }, setting: 'maxLeverag', says: 'is not a risk setting' },
    { input: { max_leverage: 3, maxLeverage: 4 }, setting: 'maxLeverage', says: 'given twice' },
  ])('names $setting in the error: $says', ({ input, setting, says }) => {
    const error = thrown(() => parseRiskConfig(input));
    expect(error.setting).toBe(setting);
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toContain(`Invalid risk setting ${setting}`);
    expect(error.message).toContain(says);
  });

  it('lists every problem, not just the first', () => {
    const error = thrown(() => parseRiskConfig({ maxLeverage: -1, maxExposurePct: 'x' }));
    expect(error.message).toContain('and 1 more problem');
    expect(error.details.issues).toEqual([
      expect.objectContaining({ setting: 'maxLeverage' }),
      expect.objectContaining({ setting: 'maxExposurePct' }),
    ]);
  });

  it('refuses something that is not an object of settings', () => {
    expect(thrown(() => parseRiskConfig('maxLeverage=5')).message).toContain('expected an object of settings');
  });

  it('is what the LiveRiskManager constructor applies, so a bad setting fails at construction', () => {
    const clock = new ManualClock();
    expect(() => new LiveRiskManager({ clock, config: { maxLeverage: -2 } })).toThrow(ConfigError);
    expect(new LiveRiskManager({ clock, config: { maxLeverage: 2 } }).config.maxLeverage.toFixed()).toBe('2');
    expect(new LiveRiskManager({ clock }).config).toEqual(DEFAULT_RISK_CONFIG);
  });
});
