import {
  createCoinbaseBroker,
  DeterministicBroker,
  PaperBroker,
  type CoinbaseBrokerage,
  type PaperMarketData,
  type StreamFrameStats,
} from '@perps-bot/broker-adapters';
import {
  describeError,
  ErrorCodes,
  PerpsBotError,
  type Brokerage,
  type Clock,
  type Logger,
  type MarketDataStreamSource,
  type PerpsBotErrorOptions,
} from '@perps-bot/core';
import { DEFAULTS, type AppConfig, type Credentials } from './config/index.js';

/** The chosen broker cannot be built (the reference's BrokerBootstrapError). The CLI exits 2 with its message. */
export class BrokerBootstrapError extends PerpsBotError {
  override readonly name = 'BrokerBootstrapError';
  readonly broker: string;

  constructor(broker: string, message: string, options: PerpsBotErrorOptions = {}) {
    super(ErrorCodes.BROKER_BOOTSTRAP, message, { ...options, details: { broker, ...options.details } });
    this.broker = broker;
  }
}

export interface BrokerFactoryInput {
  readonly config: Pick<AppConfig, 'broker' | 'seed' | 'apiUrl' | 'wsUrl'> &
    Partial<Pick<AppConfig, 'maxClockSkewSeconds' | 'orderPreview'>>;
  readonly credentials: Credentials | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The bot's stop signal: it cancels Coinbase requests and retry waits in flight, so shutdown is bounded. */
  readonly signal?: AbortSignal | undefined;
}

export interface BrokerSetup {
  readonly broker: Brokerage;
  /** Where streamed marks come from: Coinbase's WebSocket whenever the quotes are Coinbase's; else none. */
  readonly streamSource: MarketDataStreamSource | undefined;
  /** What the stream source refused so far (items for products not subscribed, books without a mid), for health.json. */
  readonly streamStats?: () => StreamFrameStats;
  /**
   * The broker answers many last-trade quotes in one request (Coinbase's products list with `product_ids`,
   * public without a key): only then does `quoteBatching` apply.
   */
  readonly batchesQuotes: boolean;
  /** Where the quotes come from, for the banner: "coinbase", "deterministic", "paper over coinbase"… */
  readonly description: string;
  /**
   * The broker's product list is the exchange's (Coinbase, or paper over it), so configured symbols are checked
   * against it at start. The deterministic broker prices any id it is asked for, so it lists its own on demand.
   */
  readonly listsProducts: boolean;
}

/**
 * The one place a broker is chosen and built.
 * - `deterministic`: the seeded random walk, no network.
 * - `coinbase`: the Advanced Trade adapter on config.apiUrl / config.wsUrl with the resolved credentials; the
 *   connection (and the key, when there is one) is checked before the bot starts, and a failure is a
 *   BrokerBootstrapError (exit 2) rather than a first cycle of errors.
 * - `paper`: paper fills against Coinbase quotes when Coinbase is configured (credentials, or an apiUrl other
 *   than the default, e.g. a loopback simulator), else against the deterministic walk. The paper broker is
 *   handed read-only market data, so it has no way to send an order anywhere.
 */
export async function createBroker(input: BrokerFactoryInput): Promise<BrokerSetup> {
  const { config, clock, logger } = input;
  switch (config.broker) {
    case 'deterministic':
      return {
        broker: new DeterministicBroker({ seed: config.seed, clock }),
        streamSource: undefined,
        batchesQuotes: false,
        description: 'deterministic',
        listsProducts: false,
      };
    case 'coinbase': {
      const coinbase = await connectedCoinbase(input);
      const streamSource = coinbase.marketDataStream();
      return {
        broker: coinbase,
        streamSource,
        streamStats: () => streamSource.stats(),
        batchesQuotes: true,
        listsProducts: true,
        description: `coinbase ${config.apiUrl}`,
      };
    }
    case 'paper': {
      if (!coinbaseConfigured(input)) {
        const marketData = new DeterministicBroker({ seed: config.seed, clock });
        return {
          broker: new PaperBroker({ marketData, clock, logger }),
          streamSource: undefined,
          batchesQuotes: false,
          description: 'paper over deterministic quotes',
          listsProducts: false,
        };
      }
      const coinbase = await connectedCoinbase(input);
      const broker = new PaperBroker({ marketData: readOnly(coinbase), clock, logger });
      const streamSource = coinbase.marketDataStream();
      return {
        broker,
        streamSource,
        streamStats: () => streamSource.stats(),
        batchesQuotes: true,
        listsProducts: true,
        description: `paper over coinbase ${config.apiUrl}`,
      };
    }
  }
}

function isLiveApi(apiUrl: string): boolean {
  try {
    return new URL(apiUrl).hostname === new URL(DEFAULTS.apiUrl).hostname;
  } catch {
    return false;
  }
}

function coinbaseConfigured(input: BrokerFactoryInput): boolean {
  return input.credentials !== undefined || input.config.apiUrl !== DEFAULTS.apiUrl;
}

async function connectedCoinbase(input: BrokerFactoryInput): Promise<CoinbaseBrokerage> {
  const { config, credentials, clock, logger } = input;
  // A key that cannot be parsed is a ConfigError naming the setting (exit 2), thrown here as it is.
  const broker = createCoinbaseBroker({
    credentials: credentials ? { keyName: credentials.apiKeyName, privateKey: credentials.apiPrivateKey } : undefined,
    apiUrl: config.apiUrl,
    wsUrl: config.wsUrl,
    logger,
    clock,
    stopSignal: input.signal,
    ...(config.maxClockSkewSeconds === undefined ? {} : { maxClockSkewMs: config.maxClockSkewSeconds * 1000 }),
    previewOrders: config.orderPreview ?? false,
    // The live exchange no longer trades INTX perpetuals; a simulator at another URL still may (legacy path).
    refuseIntx: isLiveApi(config.apiUrl),
  });
  try {
    await broker.connect();
  } catch (error) {
    const what = credentials ? 'reach Coinbase or have the API key accepted' : 'reach Coinbase';
    throw new BrokerBootstrapError('coinbase', `could not ${what} at ${config.apiUrl}: ${describeError(error)}`, {
      cause: error,
    });
  }
  return broker;
}

/** Only the market-data methods: whatever the paper broker does, it cannot reach Coinbase's order endpoints. */
function readOnly(coinbase: CoinbaseBrokerage): PaperMarketData {
  return {
    getQuote: (symbol) => coinbase.getQuote(symbol),
    getQuotes: (symbols) => coinbase.getQuotes(symbols),
    getProduct: (symbol) => coinbase.getProduct(symbol),
    listProducts: () => coinbase.listProducts(),
    getCandles: (symbol, granularity, limit) => coinbase.getCandles(symbol, granularity, limit),
  };
}
