/**
 * Every setting the bot reads, in one table: its key (as in a config file), how its text is parsed when it
 * comes from the environment or a flag, which environment variables and flag set it, whether it is secret,
 * and what values are allowed (the text of the one-line error). `perps-bot --help`, `perps-bot config` and
 * the README's table are all generated from or checked against this list.
 */
export type SettingKind = 'string' | 'number' | 'integer' | 'decimal' | 'boolean' | 'list' | 'enum';

export interface SettingSpec {
  readonly key: string;
  readonly kind: SettingKind;
  readonly description: string;
  readonly allowed: string;
  /** Environment variables, highest precedence first. */
  readonly env?: readonly string[];
  readonly flag?: string;
  readonly secret?: boolean;
}

export const PROFILES = ['dev', 'canary', 'prod'] as const;
export const BROKERS = ['deterministic', 'coinbase', 'paper'] as const;
export const TIME_IN_FORCE = ['GTC', 'IOC', 'FOK'] as const;
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const SETTINGS = [
  {
    key: 'profile',
    kind: 'enum',
    description: 'configuration profile',
    allowed: PROFILES.join(', '),
    env: ['PERPS_PROFILE'],
    flag: '--profile',
  },
  {
    key: 'broker',
    kind: 'enum',
    description: 'where quotes come from and orders go (PERPS_FORCE_MOCK=1 → deterministic, PERPS_PAPER=1 → paper)',
    allowed: BROKERS.join(', '),
    env: ['BROKER'],
    flag: '--broker',
  },
  {
    key: 'symbols',
    kind: 'list',
    description: 'product ids, comma-separated; uppercased and de-duplicated',
    allowed: 'product ids such as BTC-PERP, BTC-USD, BTC-PERP-INTX, BIP-20DEC30-CDE',
    env: ['TRADING_SYMBOLS'],
    flag: '--symbols',
  },
  {
    key: 'dryRun',
    kind: 'boolean',
    description: 'place orders on the paper ledger at the quotes seen, never on the exchange',
    allowed: 'true or false',
    env: ['PERPS_DRY_RUN'],
    flag: '--dry-run',
  },
  {
    key: 'updateInterval',
    kind: 'number',
    description: 'seconds between cycles',
    allowed: 'a number of seconds greater than 0 and at most 86400',
    env: ['PERPS_UPDATE_INTERVAL'],
    flag: '--interval',
  },
  {
    key: 'shortMa',
    kind: 'integer',
    description: 'short moving-average length (marks)',
    allowed: 'an integer ≥ 1, less than longMa',
    env: ['PERPS_SHORT_MA'],
  },
  {
    key: 'longMa',
    kind: 'integer',
    description: 'long moving-average length (marks)',
    allowed: 'an integer ≥ 2, greater than shortMa',
    env: ['PERPS_LONG_MA'],
  },
  {
    key: 'targetLeverage',
    kind: 'number',
    description: 'leverage an entry is sized for',
    allowed: 'a number greater than 0 and at most 100',
    env: ['PERPS_TARGET_LEVERAGE'],
  },
  {
    key: 'trailingStopPct',
    kind: 'number',
    description: 'trailing stop as a fraction (0.01 = 1%)',
    allowed: 'a number between 0 and 1 (exclusive)',
    env: ['PERPS_TRAILING_STOP_PCT'],
  },
  {
    key: 'positionFraction',
    kind: 'number',
    description: 'fraction of equity per entry before leverage',
    allowed: 'a number greater than 0 and at most 1',
    env: ['PERPS_POSITION_FRACTION'],
  },
  {
    key: 'enableShorts',
    kind: 'boolean',
    description: 'allow opening short positions',
    allowed: 'true or false',
    env: ['PERPS_ENABLE_SHORTS'],
  },
  {
    key: 'maxPositionSize',
    kind: 'decimal',
    description: 'largest position notional per symbol, USD',
    allowed: 'a decimal greater than 0',
    env: ['PERPS_MAX_POSITION_SIZE'],
  },
  {
    key: 'maxLeverage',
    kind: 'number',
    description: 'largest notional / equity',
    allowed: 'a number greater than 0 and at most 100',
    env: ['RISK_MAX_LEVERAGE'],
  },
  {
    key: 'dailyLossLimit',
    kind: 'decimal',
    description: 'loss from the day’s starting equity (UTC) after which only reducing orders pass; 0 = no limit',
    allowed: 'a decimal ≥ 0',
    env: ['RISK_DAILY_LOSS_LIMIT'],
  },
  {
    key: 'reduceOnlyMode',
    kind: 'boolean',
    description: 'only orders that reduce a position',
    allowed: 'true or false',
    env: ['RISK_REDUCE_ONLY_MODE'],
  },
  {
    key: 'maxMarkStalenessSeconds',
    kind: 'number',
    description:
      'a mark older than this is logged as slightly stale; older than twice this skips its symbol and halts its orders',
    allowed: 'a number of seconds greater than 0',
    env: ['RISK_MAX_MARK_STALENESS_SECONDS'],
  },
  {
    key: 'unknownStateCycles',
    kind: 'integer',
    description:
      'cycles in a row without balances or positions after which the bot switches reduce-only (reason account_state_unknown)',
    allowed: 'an integer from 1 to 1000',
    env: ['RISK_UNKNOWN_STATE_CYCLES'],
  },
  {
    key: 'reconcileOrdersInterval',
    kind: 'number',
    description: 'seconds between reconciliations of open and unknown orders with the exchange (live only)',
    allowed: 'a number of seconds greater than 0 and at most 86400',
    env: ['PERPS_RECONCILE_ORDERS_INTERVAL'],
  },
  {
    key: 'reconcilePositionsInterval',
    kind: 'number',
    description: 'seconds between reconciliations of positions with the exchange (live only)',
    allowed: 'a number of seconds greater than 0 and at most 86400',
    env: ['PERPS_RECONCILE_POSITIONS_INTERVAL'],
  },
  {
    key: 'timeInForce',
    kind: 'enum',
    description: 'time in force of orders',
    allowed: TIME_IN_FORCE.join(', '),
    env: ['PERPS_TIME_IN_FORCE'],
  },
  {
    key: 'tradingWindowStart',
    kind: 'string',
    description: 'start of the daily trading window, UTC',
    allowed: 'HH:MM or HH:MM:SS (UTC), with tradingWindowEnd',
    env: ['PERPS_TRADING_WINDOW_START'],
  },
  {
    key: 'tradingWindowEnd',
    kind: 'string',
    description: 'end of the daily trading window, UTC (inclusive)',
    allowed: 'HH:MM or HH:MM:SS (UTC), with tradingWindowStart',
    env: ['PERPS_TRADING_WINDOW_END'],
  },
  {
    key: 'tradingDays',
    kind: 'list',
    description: 'days trading is allowed, UTC',
    allowed: WEEKDAY_NAMES.join(', '),
    env: ['PERPS_TRADING_DAYS'],
  },
  {
    key: 'enableStreaming',
    kind: 'boolean',
    description:
      'WebSocket marks: on canary and prod, and on any profile whose broker streams (coinbase, paper over coinbase)',
    allowed: 'true or false',
    env: ['PERPS_ENABLE_STREAMING'],
  },
  {
    key: 'streamLevel',
    kind: 'integer',
    description: 'order-book level for streaming (1 = ticker)',
    allowed: 'an integer ≥ 1',
    env: ['PERPS_STREAM_LEVEL'],
  },
  {
    key: 'quoteBatching',
    kind: 'boolean',
    description:
      'one batched last-trade quote request per cycle where the broker has one (coinbase with or without a key, paper over it); else one per symbol',
    allowed: 'true or false',
    env: ['PERPS_QUOTE_BATCHING'],
  },
  {
    key: 'orderPreview',
    kind: 'boolean',
    description:
      'Coinbase: POST /orders/preview before each order; a preview that lists errors refuses the order (RISK_REJECTED) before it is sent',
    allowed: 'true or false',
    env: ['ORDER_PREVIEW_ENABLED'],
  },
  {
    key: 'quoteConcurrency',
    kind: 'integer',
    description: 'quote requests in flight per cycle',
    allowed: 'an integer from 1 to 64',
    env: ['PERPS_QUOTE_CONCURRENCY'],
  },
  {
    key: 'maxClockSkewSeconds',
    kind: 'number',
    description: 'an exchange time later than now + this is replaced by the receive time (warned once per symbol)',
    allowed: 'a number of seconds from 0 to 300',
    env: ['PERPS_MAX_CLOCK_SKEW_SECONDS'],
  },
  {
    key: 'productRefreshMinutes',
    kind: 'number',
    description: 'minutes a product (sizes, increments, contract size) is used before it is fetched and checked again',
    allowed: 'a number of minutes greater than 0 and at most 1440',
    env: ['PERPS_PRODUCT_REFRESH_MINUTES'],
  },
  {
    key: 'dataDir',
    kind: 'string',
    description: 'runtime root; stores and health.json go to <dataDir>/perps_bot/<profile>',
    allowed: 'a directory path',
    env: ['GPT_TRADER_RUNTIME_ROOT'],
    flag: '--data-dir',
  },
  {
    key: 'tickRetentionRows',
    kind: 'integer',
    description: 'streamed tick events (ws_mark_update) kept in the event store, newest first; 0 keeps all',
    allowed: 'an integer ≥ 0',
    env: ['PERPS_TICK_RETENTION_ROWS'],
  },
  {
    key: 'eventStoreRoot',
    kind: 'string',
    description: 'separate root for the event store (perps_bot/<profile> appended)',
    allowed: 'a directory path',
    env: ['EVENT_STORE_ROOT'],
  },
  {
    key: 'apiUrl',
    kind: 'string',
    description: 'Coinbase REST base URL',
    allowed: 'an http(s) URL',
    env: ['COINBASE_API_BASE_URL'],
    flag: '--api-url',
  },
  {
    key: 'wsUrl',
    kind: 'string',
    description: 'Coinbase WebSocket URL',
    allowed: 'a ws(s) URL',
    env: ['COINBASE_WS_URL'],
    flag: '--ws-url',
  },
  {
    key: 'apiKeyName',
    kind: 'string',
    description: 'CDP API key name',
    allowed: 'organizations/<org>/apiKeys/<id> or a key id',
    env: ['COINBASE_API_KEY_NAME'],
    secret: true,
  },
  {
    key: 'apiPrivateKey',
    kind: 'string',
    description: 'CDP API private key (PEM or Ed25519 base64)',
    allowed: 'a PEM or base64 key',
    env: ['COINBASE_API_PRIVATE_KEY'],
    secret: true,
  },
  {
    key: 'apiKeyFile',
    kind: 'string',
    description: 'CDP key file (JSON with "name" and "privateKey")',
    allowed: 'a file path',
    env: ['COINBASE_API_KEY_FILE'],
  },
  {
    key: 'confirmLiveTrading',
    kind: 'boolean',
    description: 'required to trade live on the prod profile',
    allowed: 'yes/true or no/false',
    env: ['PERPS_CONFIRM_LIVE_TRADING'],
  },
  {
    key: 'logLevel',
    kind: 'enum',
    description: 'log level',
    allowed: LOG_LEVELS.join(', '),
    env: ['PERPS_LOG_LEVEL'],
    flag: '--log-level',
  },
  {
    key: 'paperFeeBps',
    kind: 'number',
    description:
      'dry run: fee charged on each paper fill, basis points of its notional (6 = 0.06%, a typical taker fee)',
    allowed: 'a number of basis points from 0 to 1000',
    env: ['PERPS_PAPER_FEE_BPS'],
  },
  {
    key: 'paperSlippageBps',
    kind: 'number',
    description: 'dry run: price moved against each paper market order from the quote it fills at, basis points',
    allowed: 'a number of basis points from 0 to 1000',
    env: ['PERPS_PAPER_SLIPPAGE_BPS'],
  },
  {
    key: 'paperStartingBalance',
    kind: 'decimal',
    description: 'dry run: cash (USD) of a new paper ledger; an existing ledger file keeps its own',
    allowed: 'a decimal greater than 0',
    env: ['PERPS_PAPER_STARTING_BALANCE'],
  },
  {
    key: 'warmUp',
    kind: 'boolean',
    description: 'before the first cycle, fill each symbol’s mark window from the broker’s recent one-minute candles',
    allowed: 'true or false',
    env: ['PERPS_WARM_UP'],
    flag: '--warm-up',
  },
  {
    key: 'statusServer',
    kind: 'boolean',
    description: 'serve /healthz, /readyz, /metrics (Prometheus) and the status page over HTTP',
    allowed: 'true or false',
    env: ['PERPS_STATUS_SERVER'],
    flag: '--status-server',
  },
  {
    key: 'statusHost',
    kind: 'string',
    description: 'address the status server listens on (loopback unless you mean it)',
    allowed: 'a host name or IP address',
    env: ['PERPS_STATUS_HOST'],
  },
  {
    key: 'statusPort',
    kind: 'integer',
    description: 'port of the status server (0 = any free port; the banner and health.json say which)',
    allowed: 'an integer from 0 to 65535',
    env: ['PERPS_STATUS_PORT'],
    flag: '--status-port',
  },
  {
    key: 'seed',
    kind: 'integer',
    description: 'seed of the deterministic broker’s price walk',
    allowed: 'an integer',
    env: ['PERPS_SEED'],
  },
] as const satisfies readonly SettingSpec[];

export type SettingKey = (typeof SETTINGS)[number]['key'];

const byKey = new Map<string, SettingSpec>(SETTINGS.map((s) => [s.key, s]));

export function settingSpec(key: string): SettingSpec | undefined {
  return byKey.get(key);
}

export const SETTING_KEYS: readonly SettingKey[] = SETTINGS.map((s) => s.key);
