import {
  DEFAULT_RECONNECT,
  decimalToString,
  reconnectDelayMs,
  describeError,
  type Clock,
  type Decimal,
  type EventStore,
  type Logger,
  type MarketDataStreamSource,
  type MarkUpdateSink,
  type Random,
  type ReconnectPolicy,
  type Sleep,
} from '@perps-bot/core';
import type { MarkWindows } from '../mark-windows.js';
import type { MarketHeartbeat } from './market-activity-monitor.js';
import { settlesWithin, timerSleep } from './reconnect.js';
import { coerceStreamLevel, pythonList } from './stream-level.js';
import { StreamMarkOutcome, StreamMarkReader } from './stream-mark.js';

export interface StreamingServiceOptions {
  /** The bot's symbol list (the same array object, as in the reference); copied when a stream opens. */
  readonly symbols: readonly string[];
  /** Read each time a stream opens, so a broker swapped in after construction is used. */
  readonly source: () => MarketDataStreamSource;
  /** The bot's store, the same instance the MarketDataService writes REST marks to; it carries the trim. */
  readonly markWindows: MarkWindows;
  readonly riskManager: () => MarkUpdateSink | undefined;
  /** Absent store → no metric writes (the reference always had one; our registry may not). */
  readonly eventStore: () => EventStore | undefined;
  readonly marketMonitor?: MarketHeartbeat | undefined;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly botId?: string;
  readonly reconnect?: Partial<ReconnectPolicy>;
  /** Waits between reopen attempts; tests inject one that they resolve by hand. */
  readonly sleep?: Sleep;
  /** The jitter's dice (default Math.random); the golden masters pass `() => 1` so delays are the plain steps. */
  readonly random?: Random;
  /** How long `stop()` waits for the loop to end (the reference joined its thread for 2 s). */
  readonly stopTimeoutMs?: number;
}

/**
 * WebSocket marks, extracted from PerpsBot (Phase 2), behind USE_NEW_STREAMING_SERVICE. It keeps the
 * reference's stream choice, field reading, mark derivation, window update, bookkeeping and event-store
 * writes (ws_mark_update / ws_stream_error / ws_stream_exit), and deliberately differs in two ways, each
 * a named ignore rule of the legacy-vs-new comparison:
 * - `bad-price-text` (fixed quirk): the reference converted the last/price fallback unguarded, so one bad
 *   price text ended the stream for good. Here the message is skipped with a warning naming the symbol and
 *   the stream goes on.
 * - `stream-reconnect` (new behaviour): the reference never reopened a stream. Here a stream that ends or
 *   fails while the service is not stopped is reopened (orderbook, then trades, as at start) after a
 *   doubling backoff with jitter (core's `ReconnectPolicy`), with a `ws_stream_reconnect` metric. This is the
 *   bot's one reconnect loop: the adapters' clients end their stream on a lost connection and leave it here. While it stays down no mark timestamp is
 *   written, so the risk manager sees the marks go stale.
 * Kept as in the reference: the stop signal is looked at when a message arrives (and the source gets it to
 * end its iterator); every message's bookkeeping sits in one try block; a failing source open falls back to
 * trades, and failing that too ends the loop.
 */
export class StreamingService {
  readonly botId: string;
  readonly #options: StreamingServiceOptions;
  readonly #policy: ReconnectPolicy;
  readonly #sleep: Sleep;
  readonly #random: Random;
  readonly #reader = new StreamMarkReader();
  #symbols: readonly string[];
  #controller: AbortController | undefined;
  #loop: Promise<void> | undefined;
  #running = false;
  /** Messages seen on the current connection; a connection that delivered any resets the backoff. */
  #received = 0;

  constructor(options: StreamingServiceOptions) {
    this.#options = options;
    this.botId = options.botId ?? 'perps_bot';
    this.#symbols = options.symbols;
    this.#policy = { ...DEFAULT_RECONNECT, ...options.reconnect };
    this.#sleep = options.sleep ?? timerSleep;
    this.#random = options.random ?? Math.random;
  }

  /** The store marks land in: the bot's, shared with the MarketDataService. */
  get markWindows(): MarkWindows {
    return this.#options.markWindows;
  }

  get symbols(): readonly string[] {
    return this.#symbols;
  }

  /** Takes effect at the next start, as in the reference. */
  updateSymbols(symbols: readonly string[]): void {
    this.#symbols = symbols;
  }

  isRunning(): boolean {
    return this.#running;
  }

  /** The running loop, which never rejects; resolves when it has written ws_stream_exit. */
  get done(): Promise<void> | undefined {
    return this.#loop;
  }

  start(level: unknown = 1): void {
    const { logger } = this.#options;
    if (this.#symbols.length === 0) {
      logger.info('No symbols configured; skipping streaming start');
      return;
    }
    if (this.isRunning()) {
      logger.debug('Streaming already running; skipping duplicate start');
      return;
    }
    const streamLevel = coerceStreamLevel(level, logger);
    const symbols = [...this.#symbols];
    const controller = new AbortController();
    this.#controller = controller;
    this.#running = true;
    logger.info(`Started WS streaming thread for symbols=${pythonList(symbols)} level=${streamLevel}`, {
      symbols,
      level: streamLevel,
    });
    this.#loop = this.#run(symbols, streamLevel, controller.signal);
  }

  /** Aborts the stream, waits (bounded) for the loop to write its exit, and forgets it. Never throws. */
  async stop(): Promise<void> {
    const controller = this.#controller;
    const loop = this.#loop;
    try {
      controller?.abort();
      if (loop && !(await settlesWithin(loop, this.#options.stopTimeoutMs ?? 2_000))) {
        this.#options.logger.debug('WS streaming loop did not end in time after stop; abandoning it');
      }
    } catch (error) {
      this.#options.logger.debug(`Failed to stop WS streaming thread cleanly: ${describeError(error)}`);
    } finally {
      if (this.#controller === controller) {
        this.#controller = undefined;
        this.#loop = undefined;
      }
    }
  }

  async #run(symbols: string[], level: number, signal: AbortSignal): Promise<void> {
    try {
      let stream = this.#open(symbols, level, signal);
      if (stream === undefined) return;
      let attempt = 0;
      for (;;) {
        if (stream !== undefined) {
          this.#received = 0;
          await this.#consume(stream, signal);
          if (signal.aborted) return;
          if (this.#received > 0) attempt = 0;
        }
        attempt++;
        if (attempt > this.#policy.maxAttempts) {
          this.#options.logger.error(
            `WS stream stayed down after ${this.#policy.maxAttempts} reconnect attempts; giving up`,
          );
          return;
        }
        const delayMs = reconnectDelayMs(this.#policy, attempt, this.#random);
        this.#options.logger.warn(`WS stream ended; reconnecting in ${delayMs} ms (attempt ${attempt})`, {
          attempt,
          delayMs,
        });
        this.#metric({ event_type: 'ws_stream_reconnect', attempt, delay_ms: delayMs }, 'reconnect');
        await this.#sleep(delayMs, signal).catch(() => undefined); // a Sleep may reject on abort
        if (signal.aborted) return;
        stream = this.#open(symbols, level, signal);
      }
    } catch (error) {
      // Only a throwing logger or event store can get here; the loop must still end cleanly.
      this.#metric({ event_type: 'ws_stream_error', message: describeError(error) }, 'error');
    } finally {
      this.#running = false;
      this.#metric({ event_type: 'ws_stream_exit' }, 'exit');
    }
  }

  /** Orderbook stream, else trades; undefined (after an error log) when neither opens. */
  #open(symbols: string[], level: number, signal: AbortSignal): AsyncIterable<unknown> | undefined {
    const { logger } = this.#options;
    try {
      return this.#options.source().streamOrderbook(symbols, level, signal);
    } catch (error) {
      logger.warn(`Orderbook stream unavailable, falling back to trades: ${describeError(error)}`);
    }
    try {
      return this.#options.source().streamTrades(symbols, signal);
    } catch (error) {
      logger.error(`Failed to start streaming trades: ${describeError(error)}`);
      return undefined;
    }
  }

  /** Ingests one connection until it ends, fails or is stopped; a failure is recorded as ws_stream_error. */
  async #consume(stream: AsyncIterable<unknown>, signal: AbortSignal): Promise<void> {
    try {
      for await (const message of stream) {
        if (signal.aborted) break;
        this.#received++;
        this.#ingest(message);
      }
    } catch (error) {
      if (signal.aborted) return; // the source ended its iterator because we asked it to
      this.#metric({ event_type: 'ws_stream_error', message: describeError(error) }, 'error');
    }
  }

  /** The hot path: synchronous, so each window append is atomic with respect to REST updates. */
  #ingest(message: unknown): void {
    const reader = this.#reader;
    const outcome = reader.read(message);
    if (outcome === StreamMarkOutcome.Skip) return;
    const symbol = reader.symbol;
    if (outcome === StreamMarkOutcome.BadPrice) {
      this.#warnBadPrice(symbol, reader.badPrice);
      return;
    }
    const mark = reader.mark as Decimal;
    this.#options.markWindows.append(symbol, mark);
    try {
      this.#options.marketMonitor?.recordUpdate(symbol);
      this.#options.riskManager()?.recordMarkUpdate(symbol, this.#options.clock.now());
      this.#options
        .eventStore()
        ?.appendMetric(this.botId, { event_type: 'ws_mark_update', symbol, mark: decimalToString(mark) });
    } catch (error) {
      this.#options.logger.error(`WS mark update bookkeeping failed for ${symbol}`, {
        symbol,
        error: describeError(error),
      });
    }
  }

  #warnBadPrice(symbol: string, raw: unknown): void {
    this.#options.logger.warn(`Skipping stream message with bad price ${describeRaw(raw)} for ${symbol}`, {
      symbol,
      rule: 'bad-price-text',
    });
  }

  #metric(payload: Record<string, unknown>, what: 'error' | 'exit' | 'reconnect'): void {
    try {
      this.#options.eventStore()?.appendMetric(this.botId, payload);
    } catch {
      this.#options.logger.error(`Failed to record WS stream ${what} metric`);
    }
  }
}

function describeRaw(raw: unknown): string {
  try {
    return JSON.stringify(raw) ?? String(raw);
  } catch {
    return Object.prototype.toString.call(raw);
  }
}
