import type { Profile } from '@perps-bot/orchestration';
import { DEFAULT_TICK_RETENTION_ROWS } from '@perps-bot/stores';
import type { AppConfigInput } from './schema.js';
import { WEEKDAY_NAMES } from './settings.js';

/**
 * The embedded defaults: the reference's BotConfig defaults, except where noted. `dailyLossLimit` is 100,
 * the value the reference's risk manager actually enforced (BotConfig's 0 never reached it, see §10; here
 * the setting does reach risk). Symbols default to the deterministic broker's perps, not the spot top-10.
 */
export const DEFAULTS: AppConfigInput = {
  profile: 'dev',
  broker: 'deterministic',
  symbols: ['BTC-PERP', 'ETH-PERP'],
  dryRun: false,
  updateInterval: 5,
  shortMa: 5,
  longMa: 20,
  targetLeverage: 2,
  trailingStopPct: 0.01,
  positionFraction: 0.05,
  enableShorts: false,
  maxPositionSize: '1000',
  maxLeverage: 3,
  dailyLossLimit: '100',
  reduceOnlyMode: false,
  maxMarkStalenessSeconds: 180,
  unknownStateCycles: 3,
  reconcileOrdersInterval: 45,
  reconcilePositionsInterval: 90,
  timeInForce: 'GTC',
  enableStreaming: false,
  streamLevel: 1,
  quoteConcurrency: 1,
  quoteBatching: true,
  maxClockSkewSeconds: 5,
  productRefreshMinutes: 15,
  orderPreview: false,
  dataDir: 'var/data',
  tickRetentionRows: DEFAULT_TICK_RETENTION_ROWS,
  apiUrl: 'https://api.coinbase.com/api/v3/brokerage',
  wsUrl: 'wss://advanced-trade-ws.coinbase.com',
  confirmLiveTrading: false,
  logLevel: 'info',
  paperFeeBps: 6,
  paperSlippageBps: 2,
  paperStartingBalance: '100000',
  warmUp: false,
  statusServer: false,
  statusHost: '127.0.0.1',
  statusPort: 9464,
  seed: 42,
};

/** The symbols `broker: coinbase` trades when none are set: the CFM perpetual-style futures (BTC and ETH nano). */
export const COINBASE_DEFAULT_SYMBOLS = ['BIP-20DEC30-CDE', 'ETP-20DEC30-CDE'] as const;

/**
 * What each profile changes. Coinbase profiles default to the US nano-BTC perp-style future
 * BIP-20DEC30-CDE (CFM, sized in contracts of 0.01 BTC); INTX ids (BTC-PERP-INTX) work too where available.
 */
export const PROFILE_LAYERS: Readonly<Record<Profile, Partial<AppConfigInput>>> = {
  // Safe to run anywhere: no network, no credentials, nothing real traded.
  dev: { broker: 'deterministic', dryRun: true, updateInterval: 1, maxPositionSize: '10000' },
  // The reference's canary defaults plus its canary.yaml: tight limits, reduce-only, one hour on weekdays.
  canary: {
    broker: 'coinbase',
    symbols: ['BIP-20DEC30-CDE'],
    updateInterval: 10,
    reduceOnlyMode: true,
    maxLeverage: 1,
    targetLeverage: 1,
    timeInForce: 'IOC',
    dailyLossLimit: '10',
    maxPositionSize: '500',
    tradingWindowStart: '14:00',
    tradingWindowEnd: '15:00',
    tradingDays: WEEKDAY_NAMES.slice(0, 5),
  },
  prod: {
    broker: 'coinbase',
    symbols: ['BIP-20DEC30-CDE'],
    maxPositionSize: '50000',
    maxLeverage: 3,
    enableShorts: true,
  },
};

/** Settings a profile fixes: a file, the environment or a flag may repeat the value but not change it. */
export const PROFILE_LOCKS: Readonly<Record<Profile, readonly (keyof AppConfigInput)[]>> = {
  dev: [],
  canary: ['reduceOnlyMode', 'maxLeverage', 'timeInForce'],
  prod: [],
};

/** --dev-fast: the dev profile's cycle interval, shortened for demos and tests. */
export const DEV_FAST_INTERVAL = 0.2;
