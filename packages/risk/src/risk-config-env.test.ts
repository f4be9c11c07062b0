import { readFileSync } from 'node:fs';
import { ConfigError } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_CONFIG, RISK_SETTING_NAMES } from './risk-config.js';
import { RISK_ENV_VARS, riskConfigFromEnv } from './risk-config-env.js';

const configError = (env: NodeJS.ProcessEnv): ConfigError => {
  try {
    riskConfigFromEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
};

describe('riskConfigFromEnv', () => {
  it('gives the defaults for an empty environment and ignores unrelated or blank variables', () => {
    expect(riskConfigFromEnv({})).toEqual(DEFAULT_RISK_CONFIG);
    expect(riskConfigFromEnv({ PATH: '/bin', RISK_MAX_LEVERAGE: '  ' })).toEqual(DEFAULT_RISK_CONFIG);
  });

  it('reads decimals, booleans, numbers, maps and times', () => {
    const config = riskConfigFromEnv({
      RISK_MAX_LEVERAGE: '3',
      RISK_DAILY_LOSS_LIMIT: '250.50',
      RISK_KILL_SWITCH_ENABLED: 'TRUE',
      RISK_ENABLE_PRE_TRADE_LIQ_PROJECTION: 'off',
      RISK_MAX_MARK_STALENESS_SECONDS: '90',
      RISK_LEVERAGE_MAX_PER_SYMBOL: 'BTC-PERP:2, ETH-PERP:1.5',
      RISK_DAYTIME_START_UTC: '08:00',
      RISK_DAYTIME_END_UTC: '20:00',
    });
    expect(config.maxLeverage.toFixed()).toBe('3');
    expect(config.dailyLossLimit.toFixed()).toBe('250.5');
    expect(config.killSwitchEnabled).toBe(true);
    expect(config.enablePreTradeLiqProjection).toBe(false);
    expect(config.maxMarkStalenessSeconds).toBe(90);
    expect(config.leverageMaxPerSymbol['ETH-PERP']?.toFixed()).toBe('1.5');
    expect([config.daytimeStartUtc, config.daytimeEndUtc]).toEqual(['08:00', '20:00']);
  });

  it('takes RISK_MAX_EXPOSURE_PCT before its legacy alias RISK_MAX_TOTAL_EXPOSURE_PCT', () => {
    expect(riskConfigFromEnv({ RISK_MAX_TOTAL_EXPOSURE_PCT: '0.5' }).maxExposurePct.toFixed()).toBe('0.5');
    expect(
      riskConfigFromEnv({ RISK_MAX_EXPOSURE_PCT: '0.6', RISK_MAX_TOTAL_EXPOSURE_PCT: '0.5' }).maxExposurePct.toFixed(),
    ).toBe('0.6');
  });

  it.each([
    { env: { RISK_MAX_LEVERAGE: 'abc' }, setting: 'RISK_MAX_LEVERAGE', says: 'must be a decimal number, got "abc"' },
    { env: { RISK_REDUCE_ONLY_MODE: 'sometimes' }, setting: 'RISK_REDUCE_ONLY_MODE', says: 'must be a boolean' },
    {
      env: { RISK_LEVERAGE_MAX_PER_SYMBOL: 'BTC-PERP=2' },
      setting: 'RISK_LEVERAGE_MAX_PER_SYMBOL',
      says: 'SYMBOL:VALUE',
    },
    {
      env: { RISK_LEVERAGE_MAX_PER_SYMBOL: 'BTC-PERP:-2' },
      setting: 'RISK_LEVERAGE_MAX_PER_SYMBOL[BTC-PERP]',
      says: 'greater than 0',
    },
    { env: { RISK_MAX_TOTAL_EXPOSURE_PCT: '0' }, setting: 'RISK_MAX_TOTAL_EXPOSURE_PCT', says: 'greater than 0' },
    { env: { RISK_DAYTIME_END_UTC: '06:00' }, setting: 'RISK_DAYTIME_START_UTC', says: 'set together' },
  ])('names $setting when it is bad', ({ env, setting, says }) => {
    const error = configError(env);
    expect(error.setting).toBe(setting);
    expect(error.message).toContain(setting);
    expect(error.message).toContain(says);
  });

  it('has a variable for every setting, each documented in the README', () => {
    expect(Object.keys(RISK_ENV_VARS).sort()).toEqual([...RISK_SETTING_NAMES].sort());
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const names of Object.values(RISK_ENV_VARS)) for (const name of names) expect(readme).toContain(`\`${name}\``);
  });
});
