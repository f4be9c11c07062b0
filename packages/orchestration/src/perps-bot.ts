import {
  NotConfiguredError,
  readMarketDataMode,
  systemClock,
  type Brokerage,
  type Clock,
  type EventStore,
  type Logger,
  type MarketDataMode,
  type OrdersStore,
} from '@perps-bot/core';
import { MarketDataService, MarkWindows } from '@perps-bot/market-data';
import { LiveRiskManager } from '@perps-bot/risk';
import { ShadowMarketData, type ShadowOptions, type ShadowReport } from './shadow/index.js';
import type { BotConfig } from './bot-config.js';
import { updateMarksLegacy } from './legacy-mark-update.js';
import { ServiceRegistry } from './service-registry.js';

export interface OrderStats {
  attempted: number;
  successful: number;
  failed: number;
}

export interface PerpsBotOptions {
  readonly config: BotConfig;
  readonly registry?: ServiceRegistry;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Builds the broker when the registry has none (the app's profile decides which). */
  readonly createBroker?: (config: BotConfig) => Brokerage | Promise<Brokerage>;
  /** Builds the risk manager when the registry has none. */
  readonly createRiskManager?: (config: BotConfig, clock: Clock) => LiveRiskManager;
  /** Settings of shadow mode (USE_NEW_MARKET_DATA_SERVICE=shadow); `throwOnMismatch` is for tests only. */
  readonly shadow?: ShadowOptions;
  /** Where feature flags are read from, at initialisation. Defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

export const BOT_ID = 'perps_bot';

/**
 * The bot. `initialize()` follows the reference's order: config state, runtime state, storage, runtime
 * bootstrap (broker → risk manager), then the market data service, whose use is decided by
 * USE_NEW_MARKET_DATA_SERVICE read at that moment.
 */
export class PerpsBot {
  readonly botId = BOT_ID;
  readonly config: BotConfig;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The bot's symbol list; the MarketDataService holds this same array. */
  readonly symbols: string[];
  readonly orderStats: OrderStats = { attempted: 0, successful: 0, failed: 0 };
  running = false;
  readonly startTime: Date;

  #registry: ServiceRegistry;
  #markWindows: MarkWindows | undefined;
  #marketDataService: MarketDataService | undefined;
  #marketDataMode: MarketDataMode = 'new';
  #initialized = false;
  readonly #options: PerpsBotOptions;
  #shadow: ShadowMarketData | undefined;

  constructor(options: PerpsBotOptions) {
    this.#options = options;
    this.config = options.config;
    this.logger = options.logger;
    this.clock = options.clock ?? systemClock;
    this.#registry = options.registry ?? new ServiceRegistry();
    this.symbols = [...options.config.symbols];
    if (this.symbols.length === 0) this.logger.warn('No symbols configured; the bot will update no marks');
    this.startTime = this.clock.now();
  }

  async initialize(): Promise<this> {
    if (this.#initialized) return this;
    // Runtime state: an empty window for every symbol.
    this.#markWindows = new MarkWindows();
    for (const symbol of this.symbols) this.#markWindows.ensure(symbol);
    // Storage comes with the registry (event and orders stores); runtime bootstrap: broker, then risk.
    await this.#bootstrapBroker();
    this.#bootstrapRiskManager();
    // The market data service, behind its flag, read now and never at import.
    this.#marketDataMode = readMarketDataMode(this.#options.env ?? process.env);
    if (this.#marketDataMode === 'shadow') this.#shadow = this.#createShadow();
    if (this.#marketDataMode !== 'legacy') {
      this.#marketDataService = new MarketDataService({
        symbols: this.symbols,
        broker: () => this.broker,
        riskManager: () => this.#registry.riskManager,
        logger: this.logger,
        clock: this.clock,
        shortMa: this.config.shortMa,
        longMa: this.config.longMa,
        markWindows: this.#markWindows,
        concurrency: this.config.quoteConcurrency,
      });
    }
    this.#initialized = true;
    return this;
  }

  get registry(): ServiceRegistry {
    return this.#registry;
  }

  get broker(): Brokerage {
    return this.#registry.broker;
  }

  get riskManager(): LiveRiskManager {
    return this.#registry.riskManager;
  }

  get eventStore(): EventStore | undefined {
    return this.#registry.eventStore;
  }

  get ordersStore(): OrdersStore | undefined {
    return this.#registry.ordersStore;
  }

  get markWindows(): MarkWindows {
    if (!this.#markWindows) throw new NotConfiguredError('Mark windows', 'PerpsBot.initialize() has not run');
    return this.#markWindows;
  }

  get marketDataService(): MarketDataService | undefined {
    return this.#marketDataService;
  }

  /** Shadow mode's counts and latest mismatch records; undefined unless USE_NEW_MARKET_DATA_SERVICE=shadow. */
  shadowReport(): ShadowReport | undefined {
    return this.#shadow?.report();
  }

  get marketDataMode(): MarketDataMode {
    return this.#marketDataMode;
  }

  async updateMarks(): Promise<void> {
    if (this.#shadow) {
      await this.#shadow.updateMarks();
      return;
    }
    if (this.#marketDataMode === 'new' && this.#marketDataService) {
      await this.#marketDataService.updateMarks();
      return;
    }
    await this.updateMarksLegacy();
  }

  /** The pre-extraction mark update; runs when USE_NEW_MARKET_DATA_SERVICE is not "true". */
  async updateMarksLegacy(): Promise<void> {
    await updateMarksLegacy({
      symbols: this.symbols,
      broker: this.broker,
      riskManager: this.#registry.has('riskManager') ? this.riskManager : undefined,
      markWindows: this.markWindows,
      logger: this.logger,
      clock: this.clock,
      shortMa: this.config.shortMa,
      longMa: this.config.longMa,
    });
  }

  async runCycle(): Promise<void> {
    await this.updateMarks();
  }

  async shutdown(): Promise<void> {
    this.running = false;
  }

  async #bootstrapBroker(): Promise<void> {
    if (this.#registry.has('broker')) return;
    const create = this.#options.createBroker;
    if (!create) throw new NotConfiguredError('Broker', 'No broker in the registry and no broker factory given');
    const broker = await create(this.config);
    this.#registry = this.#registry.with({ broker });
  }

  #bootstrapRiskManager(): void {
    if (this.#registry.has('riskManager')) return;
    const create = this.#options.createRiskManager ?? ((_config: BotConfig, clock: Clock) => new LiveRiskManager({ clock }));
    this.#registry = this.#registry.with({ riskManager: create(this.config, this.clock) });
  }

  /** Legacy applies its effects; the service runs beside it on the same quotes and is compared. */
  #createShadow(): ShadowMarketData {
    return new ShadowMarketData({
      ...this.#options.shadow,
      symbols: this.symbols,
      broker: () => this.broker,
      riskManager: () => (this.#registry.has('riskManager') ? this.riskManager : undefined),
      markWindows: this.markWindows,
      logger: this.logger,
      clock: this.clock,
      shortMa: this.config.shortMa,
      longMa: this.config.longMa,
      concurrency: this.config.quoteConcurrency,
    });
  }
}
