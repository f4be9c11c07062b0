import {
  describeError,
  type Brokerage,
  type Clock,
  type EventStore,
  type Logger,
  type MarketDataStreamSource,
  type MarkUpdateSink,
} from '@perps-bot/core';
import {
  MarketActivityMonitor,
  MarketDataService,
  MarkWindows,
  StreamingService,
  streamSourceOf,
  type StreamingServiceOptions,
} from '@perps-bot/market-data';
import type { BotConfig } from './bot-config.js';
import { updateMarksLegacy } from './legacy-mark-update.js';
import {
  startLegacyStream,
  stopLegacyStream,
  type LegacyStreamContext,
  type LegacyStreamHandle,
} from './legacy-stream-loop.js';
import type { ModePlan } from './mode-plan.js';
import { ShadowMarketData, type ShadowOptions } from './shadow/shadow-market-data.js';
import type { ShadowReport } from './shadow/shadow-report.js';
import { configFingerprint, eventStoreSink } from './experiments/experiment-record.js';

/** The collaborators every mark path uses, resolved once after bootstrap (the registry is fixed from then on). */
interface MarkCollaborators {
  readonly broker: Brokerage;
  readonly riskManager: MarkUpdateSink;
  readonly eventStore: EventStore | undefined;
  /** Where streamed marks come from; absent → the broker (which may not stream: then opening fails). */
  readonly streamSource: MarketDataStreamSource | undefined;
}

interface MarkPipelineOptions {
  readonly plan: ModePlan;
  readonly config: BotConfig;
  /** The bot's symbol list: PerpsBot owns it; every path here reads this same array. */
  readonly symbols: readonly string[];
  readonly collaborators: MarkCollaborators;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly botId: string;
  readonly shadow?: ShadowOptions | undefined;
  readonly streaming?: Pick<StreamingServiceOptions, 'reconnect' | 'sleep' | 'random' | 'stopTimeoutMs'> | undefined;
}

/**
 * Every route marks take into the one MarkWindows store, built as the ModePlan says: REST marks through the
 * MarketDataService, the legacy update or shadow; streamed marks through the StreamingService or the legacy
 * loop. Owns the store (with its trim), the activity monitor and the stream's lifetime.
 */
export class MarkPipeline {
  readonly markWindows: MarkWindows;
  readonly marketMonitor: MarketActivityMonitor;
  readonly marketDataService: MarketDataService | undefined;
  readonly streamingService: StreamingService | undefined;
  readonly #o: MarkPipelineOptions;
  readonly #shadow: ShadowMarketData | undefined;
  #legacyStream: LegacyStreamHandle | undefined;

  constructor(options: MarkPipelineOptions) {
    this.#o = options;
    const { plan, config, symbols, collaborators: c, logger, clock } = options;
    this.markWindows = MarkWindows.forAverages(config.shortMa, config.longMa);
    for (const symbol of symbols) this.markWindows.ensure(symbol);
    const common = { symbols, logger, clock, markWindows: this.markWindows };
    if (plan.restMarks === 'shadow') {
      const percent = plan.shadowPercent.restMarks;
      this.#shadow = new ShadowMarketData({
        ...(c.eventStore ? { record: eventStoreSink(c.eventStore, options.botId, logger) } : {}),
        ...options.shadow,
        ...common,
        broker: () => c.broker,
        riskManager: () => c.riskManager,
        concurrency: config.quoteConcurrency,
        shortMa: config.shortMa,
        longMa: config.longMa,
        percent,
        // What the comparison depends on: the same fingerprint, the same experiment (never a credential).
        fingerprint: configFingerprint({
          symbols: config.symbols,
          shortMa: config.shortMa,
          longMa: config.longMa,
          quoteConcurrency: config.quoteConcurrency,
          percent,
        }),
      });
    }
    if (plan.restMarks !== 'legacy') {
      this.marketDataService = new MarketDataService({
        ...common,
        broker: () => c.broker,
        riskManager: () => c.riskManager,
        concurrency: config.quoteConcurrency,
        batchQuotes: config.quoteBatching,
      });
    }
    this.marketMonitor = new MarketActivityMonitor(symbols, { clock });
    if (plan.streaming === 'new') {
      this.streamingService = new StreamingService({ ...this.#streamContext(), symbols, ...options.streaming });
    }
  }

  /** One REST pass as the plan says: shadow, the MarketDataService, or the legacy update. Never throws per symbol. */
  async updateMarks(): Promise<void> {
    if (this.#shadow) await this.#shadow.updateMarks();
    else if (this.marketDataService) await this.marketDataService.updateMarks();
    else await this.updateMarksLegacy();
  }

  /** The pre-extraction mark update (the rollback path and the golden masters' control). */
  async updateMarksLegacy(): Promise<void> {
    const { symbols, collaborators: c, logger, clock } = this.#o;
    await updateMarksLegacy({
      symbols,
      broker: c.broker,
      riskManager: c.riskManager,
      markWindows: this.markWindows,
      logger,
      clock,
    });
  }

  shadowReport(): ShadowReport | undefined {
    return this.#shadow?.report();
  }

  /**
   * Streams marks when enableStreaming is set and either the profile is canary or prod (the reference's rule,
   * kept as it was: there even a broker that cannot stream is tried, and its failure reported) or a stream is
   * available: a stream source was given or the broker has stream methods. The second half is ours: it lets a
   * dev bot stream from a loopback Coinbase simulator; a dev bot whose broker cannot stream says so once and
   * runs on REST marks. Never throws.
   */
  startStreaming(): void {
    const { config, logger, symbols } = this.#o;
    if (!config.enableStreaming) return;
    if (config.profile !== 'canary' && config.profile !== 'prod' && !this.#canStream()) {
      const name = (this.#o.collaborators.broker as { readonly name?: string }).name ?? 'the broker';
      logger.info(`Streaming is enabled but ${name} cannot stream and no stream source is configured; REST marks only`);
      return;
    }
    try {
      if (this.streamingService) this.streamingService.start(config.streamLevel || 1);
      else this.#legacyStream = startLegacyStream(this.#streamContext(), symbols, config.streamLevel);
    } catch (error) {
      logger.error('Failed to start streaming background worker', { error: describeError(error) });
    }
  }

  /** Stops the stream (bounded wait) and forgets it. Never throws. */
  async stopStreaming(): Promise<void> {
    try {
      if (this.streamingService) await this.streamingService.stop();
      const legacy = this.#legacyStream;
      this.#legacyStream = undefined;
      await stopLegacyStream(legacy, this.#o.logger);
    } catch (error) {
      this.#o.logger.debug(`Failed to stop WS thread cleanly: ${describeError(error)}`);
    }
  }

  #canStream(): boolean {
    const c = this.#o.collaborators;
    if (c.streamSource) return true;
    const broker = c.broker as Partial<MarketDataStreamSource>;
    return typeof broker.streamOrderbook === 'function' || typeof broker.streamTrades === 'function';
  }

  /** What both stream loops share; the legacy loop takes exactly this, the service this and its knobs. */
  #streamContext(): LegacyStreamContext {
    const { collaborators: c, logger, clock, botId } = this.#o;
    return {
      source: () => c.streamSource ?? streamSourceOf(c.broker),
      markWindows: this.markWindows,
      riskManager: () => c.riskManager,
      eventStore: () => c.eventStore,
      marketMonitor: this.marketMonitor,
      logger,
      clock,
      botId,
    };
  }
}
