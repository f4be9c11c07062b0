import { ConfigError } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { loadConfig, type FlagValues } from './load-config.js';

const files = (content: Record<string, unknown> | string) => (path: string) => {
  if (!path.endsWith('bot.json')) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
  return typeof content === 'string' ? content : JSON.stringify(content);
};

function load(options: { flags?: FlagValues; env?: NodeJS.ProcessEnv; file?: Record<string, unknown> | string } = {}) {
  return loadConfig({
    flags: { ...(options.file !== undefined ? { config: 'bot.json' } : {}), ...options.flags },
    env: options.env ?? {},
    cwd: '/srv/bot',
    readFile: files(options.file ?? {}),
  });
}

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig precedence: defaults < profile < file < environment < flags', () => {
  it.each<[string, Parameters<typeof load>[0], number, string]>([
    ['the default (prod changes nothing about the interval)', { flags: { profile: 'prod' } }, 5, 'default'],
    ['the profile over the default', { flags: { profile: 'dev' } }, 1, 'profile dev'],
    ['the file over the profile', { file: { updateInterval: 7 } }, 7, 'file bot.json'],
    [
      'the environment over the file',
      { file: { updateInterval: 7 }, env: { PERPS_UPDATE_INTERVAL: '8' } },
      8,
      'env PERPS_UPDATE_INTERVAL',
    ],
    [
      'a flag over the environment',
      { file: { updateInterval: 7 }, env: { PERPS_UPDATE_INTERVAL: '8' }, flags: { interval: '9' } },
      9,
      'flag --interval',
    ],
    [
      '--dev-fast over the environment',
      { env: { PERPS_UPDATE_INTERVAL: '8' }, flags: { devFast: true } },
      0.2,
      'flag --dev-fast',
    ],
    ['--interval over --dev-fast', { flags: { devFast: true, interval: '3' } }, 3, 'flag --interval'],
  ])('%s', (_name, input, interval, source) => {
    const loaded = load(input);
    expect(loaded.config.updateInterval).toBe(interval);
    expect(loaded.sources.updateInterval).toBe(source);
  });

  it('honours --interval (the reference mapped it to a key that did not exist)', () => {
    expect(load({ flags: { interval: '2.5' } }).config.updateInterval).toBe(2.5);
  });

  it('chooses the profile by the same precedence before applying its layer', () => {
    expect(load({ file: { profile: 'canary' } }).config.profile).toBe('canary');
    expect(load({ file: { profile: 'canary' }, env: { PERPS_PROFILE: 'prod' } }).config.profile).toBe('prod');
    const flagWins = load({ file: { profile: 'canary' }, env: { PERPS_PROFILE: 'prod' }, flags: { profile: 'dev' } });
    expect([flagWins.config.profile, flagWins.config.broker, flagWins.sources.profile]).toEqual([
      'dev',
      'deterministic',
      'flag --profile',
    ]);
  });

  it('keeps the dev profile’s dry run unless a dry-run flag is actually given (§10: an absent flag sent false)', () => {
    expect(load().config.dryRun).toBe(true);
    expect(load({ flags: { dryRun: undefined } }).config.dryRun).toBe(true);
    expect(load({ flags: { dryRun: false } }).sources.dryRun).toBe('flag --no-dry-run');
    expect(load({ flags: { dryRun: false } }).config.dryRun).toBe(false);
    expect(load({ env: { PERPS_DRY_RUN: 'no' } }).config.dryRun).toBe(false);
    expect(load({ flags: { profile: 'prod', dryRun: true } }).config.dryRun).toBe(true);
  });

  it('embeds each profile’s settings', () => {
    const dev = load().config;
    expect([dev.broker, dev.dryRun, dev.updateInterval, dev.symbols, dev.maxPositionSize.toFixed()]).toEqual([
      'deterministic',
      true,
      1,
      ['BTC-PERP', 'ETH-PERP'],
      '10000',
    ]);
    const canary = load({ flags: { profile: 'canary' } }).config;
    expect(canary).toMatchObject({
      broker: 'coinbase',
      dryRun: false,
      reduceOnlyMode: true,
      maxLeverage: 1,
      timeInForce: 'IOC',
      symbols: ['BIP-20DEC30-CDE'],
      tradingWindowStart: '14:00',
      tradingWindowEnd: '15:00',
      tradingDays: ['mon', 'tue', 'wed', 'thu', 'fri'],
    });
    expect([canary.dailyLossLimit.toFixed(), canary.maxPositionSize.toFixed()]).toEqual(['10', '500']);
    const prod = load({ flags: { profile: 'prod' } }).config;
    expect([
      prod.broker,
      prod.enableShorts,
      prod.maxLeverage,
      prod.maxPositionSize.toFixed(),
      prod.confirmLiveTrading,
    ]).toEqual(['coinbase', true, 3, '50000', false]);
  });

  it('uppercases and de-duplicates symbols from any layer, keeping first-seen order', () => {
    expect(load({ env: { TRADING_SYMBOLS: 'eth-perp, btc-perp ,ETH-PERP' } }).config.symbols).toEqual([
      'ETH-PERP',
      'BTC-PERP',
    ]);
    expect(load({ file: { symbols: ['bip-20dec30-cde', 'BIP-20DEC30-CDE'] } }).config.symbols).toEqual([
      'BIP-20DEC30-CDE',
    ]);
    expect(load({ file: { symbols: 'sol-perp,btc-perp-intx' } }).config.symbols).toEqual(['SOL-PERP', 'BTC-PERP-INTX']);
  });

  it('reads the reference’s environment switches: PERPS_FORCE_MOCK, PERPS_PAPER, below BROKER', () => {
    expect(load({ flags: { profile: 'prod' }, env: { PERPS_FORCE_MOCK: '1' } }).config.broker).toBe('deterministic');
    expect(load({ env: { PERPS_PAPER: 'true' } }).config.broker).toBe('paper');
    expect(load({ env: { PERPS_PAPER: 'true', BROKER: 'coinbase' } }).sources.broker).toBe('env BROKER');
  });

  it('reads money limits as exact decimals', () => {
    const config = load({
      env: { RISK_DAILY_LOSS_LIMIT: '12.345678901234567891', PERPS_MAX_POSITION_SIZE: '2500.10' },
    }).config;
    expect(config.dailyLossLimit.toFixed()).toBe('12.345678901234567891');
    expect(config.maxPositionSize.toFixed()).toBe('2500.1');
  });

  it('normalises trading days and accepts full day names', () => {
    expect(load({ env: { PERPS_TRADING_DAYS: 'Monday,TUE,mon' } }).config.tradingDays).toEqual(['mon', 'tue']);
  });

  it('lets the canary locks be repeated but not changed', () => {
    expect(load({ flags: { profile: 'canary' }, env: { RISK_MAX_LEVERAGE: '1' } }).config.maxLeverage).toBe(1);
    expect(errorOf(() => load({ flags: { profile: 'canary' }, file: { timeInForce: 'GTC' } })).message).toBe(
      'invalid setting "timeInForce": "GTC" (allowed: locked to "IOC" by the canary profile; set by file bot.json)',
    );
  });
});

describe('a bad value is one line naming the setting, the value, the allowed values and the source', () => {
  it.each<[string, Parameters<typeof load>[0], string]>([
    [
      'an unknown profile',
      { env: { PERPS_PROFILE: 'staging' } },
      'invalid setting "profile": "staging" (allowed: dev, canary, prod; set by env PERPS_PROFILE)',
    ],
    [
      'a negative interval',
      { flags: { interval: '-1' } },
      'invalid setting "updateInterval": -1 (allowed: a number of seconds greater than 0 and at most 86400; set by flag --interval)',
    ],
    [
      'a non-numeric interval',
      { env: { PERPS_UPDATE_INTERVAL: 'fast' } },
      'invalid setting "updateInterval": "fast" (allowed: a number of seconds greater than 0 and at most 86400; set by env PERPS_UPDATE_INTERVAL)',
    ],
    [
      'a symbol with the wrong shape',
      { flags: { symbols: 'BTC-PERP,BTCPERP' } },
      'invalid setting "symbols": "BTCPERP" (allowed: product ids such as BTC-PERP, BTC-USD, BTC-PERP-INTX, BIP-20DEC30-CDE; set by flag --symbols)',
    ],
    [
      'no symbols at all',
      { flags: { symbols: ' , ' } },
      'invalid setting "symbols": [] (allowed: product ids such as BTC-PERP, BTC-USD, BTC-PERP-INTX, BIP-20DEC30-CDE; set by flag --symbols)',
    ],
    [
      'a boolean that is not one',
      { env: { PERPS_ENABLE_SHORTS: 'maybe' } },
      'invalid setting "enableShorts": "maybe" (allowed: true or false; set by env PERPS_ENABLE_SHORTS)',
    ],
    [
      'an unknown broker',
      { flags: { broker: 'binance' } },
      'invalid setting "broker": "binance" (allowed: deterministic, coinbase, paper; set by flag --broker)',
    ],
    [
      'short MA not below long MA',
      { file: { shortMa: 20 } },
      'invalid setting "shortMa": 20 (allowed: an integer ≥ 1, less than longMa; set by file bot.json)',
    ],
    [
      'half a trading window',
      { env: { PERPS_TRADING_WINDOW_START: '09:00' } },
      'invalid setting "tradingWindowEnd": not set (allowed: HH:MM or HH:MM:SS (UTC), with tradingWindowStart; set by default)',
    ],
    [
      'a time that is not one',
      { env: { PERPS_TRADING_WINDOW_START: '9am', PERPS_TRADING_WINDOW_END: '10:00' } },
      'invalid setting "tradingWindowStart": "9am" (allowed: HH:MM or HH:MM:SS (UTC), with tradingWindowEnd; set by env PERPS_TRADING_WINDOW_START)',
    ],
    [
      'a negative money limit',
      { env: { RISK_DAILY_LOSS_LIMIT: '-5' } },
      'invalid setting "dailyLossLimit": "-5" (allowed: a decimal ≥ 0; set by env RISK_DAILY_LOSS_LIMIT)',
    ],
    [
      'an http WebSocket URL',
      { flags: { wsUrl: 'http://127.0.0.1:9000' } },
      'invalid setting "wsUrl": "http://127.0.0.1:9000" (allowed: a ws(s) URL; set by flag --ws-url)',
    ],
    [
      'a secret of the wrong type, never shown',
      { file: { apiPrivateKey: 12345 } },
      'invalid setting "apiPrivateKey": [masked] (allowed: a PEM or base64 key; set by file bot.json)',
    ],
    [
      'an unknown key in the file',
      { file: { interval: 3 } },
      'unknown setting "interval" in bot.json (allowed: profile, broker, symbols, dryRun, updateInterval, shortMa, longMa, targetLeverage, trailingStopPct, positionFraction, enableShorts, maxPositionSize, maxLeverage, dailyLossLimit, reduceOnlyMode, maxMarkStalenessSeconds, unknownStateCycles, reconcileOrdersInterval, reconcilePositionsInterval, timeInForce, tradingWindowStart, tradingWindowEnd, tradingDays, enableStreaming, streamLevel, quoteBatching, orderPreview, quoteConcurrency, maxClockSkewSeconds, productRefreshMinutes, dataDir, tickRetentionRows, eventStoreRoot, apiUrl, wsUrl, apiKeyName, apiPrivateKey, apiKeyFile, confirmLiveTrading, logLevel, paperFeeBps, paperSlippageBps, paperStartingBalance, warmUp, statusServer, statusHost, statusPort, seed)',
    ],
    [
      'a file that is not JSON',
      { file: '{ "profile": ' },
      'invalid config file bot.json (not valid JSON: Unexpected end of JSON input)',
    ],
    ['a file that is a list', { file: '[]' }, 'invalid config file bot.json (expected a JSON object of settings)'],
    [
      '--dev-fast outside dev',
      { flags: { profile: 'canary', devFast: true } },
      '--dev-fast only applies to the dev profile (profile is "canary", set by flag --profile)',
    ],
  ])('%s', (_name, input, message) => {
    const error = errorOf(() => load(input));
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('\n');
    expect(error.code).toBe('CONFIG_INVALID');
  });

  it('names a missing config file', () => {
    const error = errorOf(() => loadConfig({ flags: { config: 'nope.json' }, env: {}, readFile: files({}) }));
    expect(error.message).toBe('invalid config file nope.json (cannot read it: ENOENT)');
  });

  it('takes the config file from PERPS_CONFIG_FILE when --config is absent', () => {
    const loaded = loadConfig({ env: { PERPS_CONFIG_FILE: 'bot.json' }, readFile: files({ seed: 7 }) });
    expect([loaded.config.seed, loaded.sources.seed, loaded.configFile]).toEqual([7, 'file bot.json', 'bot.json']);
  });
});
