import {
  NotConfiguredError,
  systemClock,
  type Brokerage,
  type Clock,
  type EventStore,
  type Logger,
  type MarketDataMode,
  type MarketDataStreamSource,
  type OrdersStore,
} from '@perps-bot/core';
import type {
  MarketActivityMonitor,
  MarketDataService,
  MarkWindows,
  StreamingService,
  StreamingServiceOptions,
} from '@perps-bot/market-data';
import { LiveRiskManager } from '@perps-bot/risk';
import type { BotConfig } from './bot-config.js';
import type { OrderCounters } from './cycle/order-stats.js';
import { TradingCycle, type TradingOptions } from './cycle/trading-cycle.js';
import { ShadowExecution, type ExecutionShadowReport } from './execution/shadow-execution.js';
import { MarkPipeline } from './mark-pipeline.js';
import { planModes, type ModePlan } from './mode-plan.js';
import { ServiceRegistry } from './service-registry.js';
import type { ShadowOptions } from './shadow/shadow-market-data.js';
import type { ShadowReport } from './shadow/shadow-report.js';

/** How long shutdown waits for the execution shadow's last comparisons (they run after the control's outcome). */
const SHADOW_SETTLE_MS = 2_000;

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
  readonly streaming?: Pick<StreamingServiceOptions, 'reconnect' | 'sleep' | 'random' | 'stopTimeoutMs'>;
  /** Session, strategy, risk and execution for runCycle; without it a cycle only updates marks. */
  readonly trading?: TradingOptions;
}

export const BOT_ID = 'perps_bot';

/**
 * The bot. `initialize()` follows the reference's order: config state, storage (the registry's stores),
 * runtime bootstrap (broker → risk manager), then the mark pipeline as the ModePlan read from the flags at
 * that moment says (never at import), then streaming. Everything else is delegated: marks to MarkPipeline,
 * trading to TradingCycle.
 */
export class PerpsBot {
  readonly botId = BOT_ID;
  readonly config: BotConfig;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The bot's symbol list, owned here; every mark path reads this same array. */
  readonly symbols: string[];
  readonly orderStats: OrderCounters = { attempted: 0, successful: 0, failed: 0, unknown: 0 };
  running = false;
  readonly startTime: Date;

  readonly #options: PerpsBotOptions;
  #registry: ServiceRegistry;
  #plan: ModePlan | undefined;
  #pipeline: MarkPipeline | undefined;
  #tradingCycle: TradingCycle | undefined;

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
    if (this.#pipeline) return this;
    await this.#bootstrapBroker();
    this.#bootstrapRiskManager();
    this.#plan = planModes(this.#options.env ?? process.env);
    this.#pipeline = new MarkPipeline({
      plan: this.#plan,
      config: this.config,
      symbols: this.symbols,
      collaborators: {
        broker: this.broker,
        riskManager: this.riskManager,
        eventStore: this.eventStore,
        streamSource: this.#options.streamSource,
      },
      logger: this.logger,
      clock: this.clock,
      botId: this.botId,
      shadow: this.#options.shadow,
      streaming: this.#options.streaming,
    });
    this.startStreaming();
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

  /** Which implementation runs each part, decided once at initialisation (see mode-plan.ts). */
  get modePlan(): ModePlan | undefined {
    return this.#plan;
  }

  get markWindows(): MarkWindows {
    return this.#marks.markWindows;
  }

  get marketDataService(): MarketDataService | undefined {
    return this.#pipeline?.marketDataService;
  }

  /** Shadow mode's counts and latest mismatch records; undefined unless USE_NEW_MARKET_DATA_SERVICE=shadow. */
  shadowReport(): ShadowReport | undefined {
    return this.#pipeline?.shadowReport();
  }

  /** The execution shadow's counts and latest mismatches; undefined unless USE_NEW_EXECUTION_SERVICE=shadow. */
  executionShadowReport(): ExecutionShadowReport | undefined {
    const executor = this.#tradingCycle?.executor;
    return executor instanceof ShadowExecution ? executor.report() : undefined;
  }

  get marketDataMode(): MarketDataMode {
    return this.#plan?.restMarks ?? 'new';
  }

  get marketMonitor(): MarketActivityMonitor | undefined {
    return this.#pipeline?.marketMonitor;
  }

  /** Present when the plan streams with the StreamingService. */
  get streamingService(): StreamingService | undefined {
    return this.#pipeline?.streamingService;
  }

  /** 'new' → StreamingService; 'legacy' → the pre-extraction loop in legacy-stream-loop.ts. */
  get streamingMode(): 'new' | 'legacy' {
    return this.#pipeline?.streamingService ? 'new' : 'legacy';
  }

  /** Starts the stream when the config and the broker allow it (see MarkPipeline.startStreaming). Never throws. */
  startStreaming(): void {
    this.#marks.startStreaming();
  }

  /** Stops the stream (bounded wait) and forgets it. Never throws. */
  async stopStreaming(): Promise<void> {
    await this.#pipeline?.stopStreaming();
  }

  /** One REST pass: the legacy update through this bot's own method (so it can be spied on), else the pipeline. */
  async updateMarks(): Promise<void> {
    if (this.#marks.marketDataService === undefined) await this.updateMarksLegacy();
    else await this.#marks.updateMarks();
  }

  /** The pre-extraction mark update; what USE_NEW_MARKET_DATA_SERVICE=false runs. */
  async updateMarksLegacy(): Promise<void> {
    await this.#marks.updateMarksLegacy();
  }

  /** The trading part of the cycle (session, strategy, risk, execution), once runCycle has built it. */
  get tradingCycle(): TradingCycle | undefined {
    return this.#tradingCycle;
  }

  /** The trading cycle, built now if it is not yet (reconciliation needs it before the first cycle). */
  trading(): TradingCycle | undefined {
    const trading = this.#options.trading;
    if (trading) {
      const plan = this.#plan ?? planModes(this.#options.env ?? process.env);
      this.#tradingCycle ??= new TradingCycle(this, {
        execution: plan.execution,
        ...trading,
        executionShadow: { percent: plan.shadowPercent.execution, ...trading.executionShadow },
      });
    }
    return this.#tradingCycle;
  }

  async runCycle(): Promise<void> {
    await this.updateMarks();
    await this.trading()?.run();
  }

  async shutdown(): Promise<void> {
    this.running = false;
    await this.stopStreaming();
    await this.settleExecutionShadow();
  }

  /**
   * The execution shadow's comparisons still running (they run after the control's outcome) get up to 2 s to be
   * counted and recorded: before the run's summary and before the stores close.
   */
  async settleExecutionShadow(): Promise<void> {
    const trading = this.#tradingCycle;
    if (!trading) return;
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<true>((resolve) => {
      timer = setTimeout(() => resolve(true), SHADOW_SETTLE_MS);
      timer.unref();
    });
    const late = await Promise.race([trading.settled().then(() => false), gaveUp]);
    clearTimeout(timer);
    if (late)
      this.logger.warn(`Execution shadow comparisons still running ${SHADOW_SETTLE_MS} ms into shutdown: not recorded`);
  }

  get #marks(): MarkPipeline {
    if (!this.#pipeline) throw new NotConfiguredError('Mark windows', 'PerpsBot.initialize() has not run');
    return this.#pipeline;
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
    const create =
      this.#options.createRiskManager ?? ((_config: BotConfig, clock: Clock) => new LiveRiskManager({ clock }));
    this.#registry = this.#registry.with({ riskManager: create(this.config, this.clock) });
  }
}
