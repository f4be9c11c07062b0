import {
  describeError,
  NotConfiguredError,
  readBooleanFlag,
  readMarketDataMode,
  systemClock,
  type Brokerage,
  type Clock,
  type EventStore,
  type Logger,
  type MarketDataMode,
  type MarketDataStreamSource,
  type OrdersStore,
} from '@perps-bot/core';
import {
  MarketActivityMonitor,
  MarketDataService,
  MarkWindows,
  StreamingService,
  streamSourceOf,
  type StreamingServiceOptions,
} from '@perps-bot/market-data';
import { LiveRiskManager } from '@perps-bot/risk';
import { ShadowMarketData, type ShadowOptions, type ShadowReport } from './shadow/index.js';
import type { BotConfig } from './bot-config.js';
import { updateMarksLegacy } from './legacy-mark-update.js';
import { startLegacyStream, stopLegacyStream, type LegacyStreamContext, type LegacyStreamHandle } from './legacy-stream-loop.js';
import { ServiceRegistry } from './service-registry.js';
import { TradingCycle, type OrderCounters, type TradingOptions } from './cycle/index.js';
import { readExecutionMode } from './execution/execution-mode.js';

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
  /** Where streamed marks come from; defaults to the broker (which may not stream: then opening fails). */
  readonly streamSource?: MarketDataStreamSource;
  /** StreamingService knobs: reconnect backoff, the sleep it waits with, the bound on stop. */
  readonly streaming?: Pick<StreamingServiceOptions, 'reconnect' | 'sleep' | 'stopTimeoutMs'>;
  /** Session, strategy, risk and execution for runCycle; without it a cycle only updates marks. */
  readonly trading?: TradingOptions;
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
  readonly orderStats: OrderCounters = { attempted: 0, successful: 0, failed: 0, unknown: 0 };
  running = false;
  readonly startTime: Date;

  #registry: ServiceRegistry;
  #markWindows: MarkWindows | undefined;
  #marketDataService: MarketDataService | undefined;
  #marketDataMode: MarketDataMode = 'new';
  #marketMonitor: MarketActivityMonitor | undefined;
  #streamingService: StreamingService | undefined;
  #legacyStream: LegacyStreamHandle | undefined;
  #initialized = false;
  #tradingCycle: TradingCycle | undefined;
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
        batchQuotes: this.config.quoteBatching,
      });
    }
    this.#marketMonitor = new MarketActivityMonitor(this.symbols, { clock: this.clock });
    this.#initStreamingService();
    this.startStreaming();
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

  get marketMonitor(): MarketActivityMonitor | undefined {
    return this.#marketMonitor;
  }

  /** Present when USE_NEW_STREAMING_SERVICE was on at initialisation and a MarketDataService exists. */
  get streamingService(): StreamingService | undefined {
    return this.#streamingService;
  }

  /** 'new' → StreamingService; 'legacy' → the pre-extraction loop in legacy-stream-loop.ts. */
  get streamingMode(): 'new' | 'legacy' {
    return this.#streamingService ? 'new' : 'legacy';
  }

  /**
   * Streams marks when perpsEnableStreaming is set and either the profile is canary or prod (the reference's
   * rule, kept as it was: there even a broker that cannot stream is tried, and its failure reported) or a stream
   * is available: a `streamSource` was given or the broker has stream methods. The second half is ours: it lets
   * a dev bot stream from a loopback Coinbase simulator; a dev bot whose broker cannot stream says so once and
   * runs on REST marks. Never throws.
   */
  startStreaming(): void {
    const { perpsEnableStreaming, profile, perpsStreamLevel } = this.config;
    if (!perpsEnableStreaming) return;
    if (profile !== 'canary' && profile !== 'prod' && !this.#canStream()) {
      const name = (this.broker as { readonly name?: string }).name ?? 'the broker';
      this.logger.info(`Streaming is enabled but ${name} cannot stream and no stream source is configured; REST marks only`);
      return;
    }
    try {
      if (this.#streamingService) this.#streamingService.start(perpsStreamLevel || 1);
      else this.#legacyStream = startLegacyStream(this.#legacyStreamContext(), this.symbols, perpsStreamLevel);
    } catch (error) {
      this.logger.error('Failed to start streaming background worker', { error: describeError(error) });
    }
  }

  /** Stops the stream (bounded wait) and forgets it. Never throws. */
  async stopStreaming(): Promise<void> {
    try {
      if (this.#streamingService) await this.#streamingService.stop();
      const legacy = this.#legacyStream;
      this.#legacyStream = undefined;
      await stopLegacyStream(legacy, this.logger);
    } catch (error) {
      this.logger.debug(`Failed to stop WS thread cleanly: ${describeError(error)}`);
    }
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

  /** The trading part of the cycle (session, strategy, risk, execution), once runCycle has built it. */
  get tradingCycle(): TradingCycle | undefined {
    return this.#tradingCycle;
  }

  /** The trading cycle, built now if it is not yet (reconciliation needs it before the first cycle). */
  trading(): TradingCycle | undefined {
    const trading = this.#options.trading;
    if (trading) this.#tradingCycle ??= new TradingCycle(this, { execution: readExecutionMode(this.#options.env ?? process.env), ...trading });
    return this.#tradingCycle;
  }

  async runCycle(): Promise<void> {
    await this.updateMarks();
    await this.trading()?.run();
  }

  async shutdown(): Promise<void> {
    this.running = false;
    await this.stopStreaming();
  }

  /** The streaming service behind its flag, read now; it needs a MarketDataService, as in the reference. */
  #initStreamingService(): void {
    const useNew = readBooleanFlag('USE_NEW_STREAMING_SERVICE', true, this.#options.env ?? process.env);
    if (!useNew || !this.#marketDataService) return;
    this.#streamingService = new StreamingService({
      symbols: this.symbols,
      source: () => this.#options.streamSource ?? streamSourceOf(this.broker),
      marketDataService: this.#marketDataService,
      riskManager: () => (this.#registry.has('riskManager') ? this.riskManager : undefined),
      eventStore: () => this.eventStore,
      marketMonitor: this.#marketMonitor,
      logger: this.logger,
      clock: this.clock,
      botId: this.botId,
      ...this.#options.streaming,
    });
  }

  #canStream(): boolean {
    if (this.#options.streamSource) return true;
    const broker = this.broker as Partial<MarketDataStreamSource>;
    return typeof broker.streamOrderbook === 'function' || typeof broker.streamTrades === 'function';
  }

  #legacyStreamContext(): LegacyStreamContext {
    return {
      source: () => this.#options.streamSource ?? streamSourceOf(this.broker),
      markWindows: this.markWindows,
      shortMa: this.config.shortMa,
      longMa: this.config.longMa,
      riskManager: () => (this.#registry.has('riskManager') ? this.riskManager : undefined),
      eventStore: () => this.eventStore,
      marketMonitor: this.#marketMonitor,
      logger: this.logger,
      clock: this.clock,
      botId: this.botId,
    };
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
