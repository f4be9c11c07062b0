import {
  ErrorCodes,
  PerpsBotError,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
  type Quote,
} from '@perps-bot/core';
import type { CdpKey } from '../auth/credentials.js';
import { signWebSocketJwt } from '../auth/jwt.js';
import { AsyncQueue } from './async-queue.js';
import { readFrame } from './frames.js';
import { ProductAliases } from './product-aliases.js';
import { quotesFromEnvelope } from './ticker-quotes.js';
import type { WsEnvelope } from './messages.js';
import { SequenceTracker } from './sequence.js';
import { abandon, frameBytes, OPEN, wsPackageFactory, type WebSocketFactory, type WebSocketLike } from './socket.js';
import {
  DEFAULT_MAX_QUEUE_BYTES,
  DROP_LOG_INTERVAL_MS,
  realTimers,
  type CoinbaseWsClientOptions,
  type CoinbaseWsSubscription,
  type LivenessTimers,
  type WsEvent,
} from './client-options.js';

export {
  type CoinbaseWsClientOptions,
  type CoinbaseWsSubscription,
  type LivenessTimers,
  type WsEvent,
} from './client-options.js';

type Listener = (event: WsEvent) => void;

/**
 * A Coinbase Advanced Trade market-data WebSocket connection: it subscribes right after connecting (one
 * channel per message, plus heartbeats), checks `sequence_num` for gaps (warns, emits a `gap`, resubscribes for
 * fresh snapshots), skips frames it cannot read with a warning, and closes cleanly. It holds ONE connection and
 * never reconnects: a connection that drops, goes silent or cannot be opened ends every consumer's iterator with
 * a `STREAM` PerpsBotError (code `STREAM`, `details.reason` says why), and the market-data StreamingService
 * — the bot's one owner of reconnection — opens a new stream after its backoff. Consume it with `events()`, `messages()` or
 * `quotes()`; each call is an independent async iterable.
 */
export class CoinbaseWsClient {
  readonly #url: string;
  readonly #subscriptions: readonly CoinbaseWsSubscription[];
  readonly #key: CdpKey | undefined;
  readonly #livenessMs: number;
  readonly #handshakeMs: number;
  readonly #maxQueue: number;
  readonly #maxQueueBytes: number;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #timers: LivenessTimers;
  readonly #dial: WebSocketFactory;
  readonly #listeners = new Set<Listener>();
  readonly #consumers = new Set<AsyncQueue<WsEvent>>();
  readonly #stop = new AbortController();
  #socket: WebSocketLike | undefined;
  #loop: Promise<void> | undefined;
  #connections = 0;
  /** Ends the current session at once (close() must not wait for a close event a dead peer never sends). */
  #endSession: ((why?: string) => void) | undefined;
  #firstOpen: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void };

  constructor(options: CoinbaseWsClientOptions) {
    this.#url = options.url;
    const heartbeats = options.heartbeats ?? true;
    this.#subscriptions = [
      ...options.subscriptions.filter((s) => s.channel !== 'heartbeats'),
      ...(heartbeats ? [{ channel: 'heartbeats', productIds: [] }] : []),
    ];
    this.#key = options.key;
    this.#livenessMs = options.livenessTimeoutMs ?? 10_000;
    this.#handshakeMs = options.handshakeTimeoutMs ?? 10_000;
    this.#maxQueue = options.maxQueue ?? 10_000;
    this.#maxQueueBytes = options.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES;
    this.#logger = options.logger ?? silentLogger;
    this.#clock = options.clock ?? systemClock;
    this.#timers = options.timers ?? realTimers;
    this.#dial =
      options.webSocket ??
      wsPackageFactory({ handshakeTimeoutMs: this.#handshakeMs, maxPayloadBytes: 10 * 1024 * 1024 });
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => undefined); // observed through start(); never an unhandled rejection
    this.#firstOpen = { promise, resolve, reject };
  }

  get closed(): boolean {
    return this.#stop.signal.aborted;
  }

  /** Connects (once) and resolves when the first connection has sent its subscriptions. */
  start(): Promise<void> {
    if (this.closed)
      return Promise.reject(new PerpsBotError(ErrorCodes.STREAM, 'The Coinbase WebSocket client is closed'));
    this.#loop ??= this.#run();
    return this.#firstOpen.promise;
  }

  /** A raw listener, called synchronously; returns the unsubscribe function. */
  on(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Every event in order. Starts the connection; ends on close(), the signal, or (with a STREAM error) when the connection is lost. */
  events(signal?: AbortSignal): AsyncIterableIterator<WsEvent> {
    const drops = { sinceLog: 0, total: 0, lastLogMs: Number.NEGATIVE_INFINITY };
    const queue: AsyncQueue<WsEvent> = new AsyncQueue<WsEvent>({
      limit: this.#maxQueue,
      maxBytes: this.#maxQueueBytes,
      sizeOf: (event) => (event.type === 'message' ? event.bytes : 0),
      dropMarker: (count) => ({ type: 'dropped', count }),
      // Counted always, logged at most once a second per consumer (a slow consumer used to log every drop).
      onDrop: (n) => {
        drops.sinceLog += n;
        drops.total += n;
        const nowMs = this.#clock.now().getTime();
        if (nowMs - drops.lastLogMs < DROP_LOG_INTERVAL_MS) return;
        this.#logger.warn(`Coinbase WebSocket consumer is behind; dropped ${drops.sinceLog} oldest messages`, {
          dropped: drops.sinceLog,
          droppedTotal: drops.total,
        });
        drops.sinceLog = 0;
        drops.lastLogMs = nowMs;
        // Fresh snapshots, so a consumer that rebuilds state (level2 books) after the drop marker can.
        if (this.#socket) this.#resubscribe(this.#socket);
      },
      onReturn: () => this.#consumers.delete(queue),
    });
    if (this.closed || signal?.aborted) {
      queue.end();
      return queue;
    }
    this.#consumers.add(queue);
    if (signal) {
      const onAbort = (): void => {
        this.#consumers.delete(queue);
        queue.end();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      // The caller's signal outlives this client (the StreamingService opens a client per reconnect on one
      // signal): once the client is done, let go of the listener, or every reconnect would leave one behind.
      this.#stop.signal.addEventListener('abort', () => signal.removeEventListener('abort', onAbort), { once: true });
    }
    this.start().catch(() => undefined);
    return queue;
  }

  /** The market-data envelopes only. */
  async *messages(signal?: AbortSignal): AsyncGenerator<WsEnvelope> {
    for await (const event of this.events(signal)) if (event.type === 'message') yield event.envelope;
  }

  /** Quotes from `ticker` / `ticker_batch` frames (see quotesFromEnvelope), under the ids subscribed to. */
  async *quotes(signal?: AbortSignal): AsyncGenerator<Quote> {
    const aliases = new ProductAliases(this.#subscriptions.flatMap((s) => s.productIds));
    for await (const envelope of this.messages(signal))
      yield* quotesFromEnvelope(envelope, this.#clock, this.#logger, aliases);
  }

  /** Stops for good: every consumer finishes (without an error), the socket is closed with 1000. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.#stop.abort();
      const socket = this.#socket;
      if (socket && socket.readyState === OPEN) socket.close(1000, 'client closing');
      else if (socket) abandon(socket);
      this.#endSession?.('client closed');
      this.#firstOpen.reject(new PerpsBotError(ErrorCodes.STREAM, 'The Coinbase WebSocket client was closed'));
    }
    await this.#loop;
    this.#finish();
  }

  /** The one connection; when it ends without close(), every consumer's iterator ends with the loss. */
  async #run(): Promise<void> {
    const session = await this.#session();
    if (this.closed) {
      this.#finish();
      return;
    }
    const error = new PerpsBotError(
      ErrorCodes.STREAM,
      `Coinbase WebSocket lost (${session.reason}); the stream ends here and its owner reconnects`,
      {
        details: { url: this.#url, reason: session.reason, delivered: session.delivered },
      },
    );
    this.#logger.warn(error.message, { reason: session.reason, delivered: session.delivered });
    this.#stop.abort();
    this.#firstOpen.reject(error);
    this.#finish(error);
  }

  /** One connection, from dial to close. Resolves (never rejects) with why it ended. */
  #session(): Promise<{ delivered: boolean; reason: string }> {
    return new Promise((resolve) => {
      const connection = ++this.#connections;
      let delivered = false;
      let reason = 'connection closed';
      let ended = false;
      const sequence = new SequenceTracker();
      let timer: unknown;
      let socket: WebSocketLike;

      // Ends the session once, whether the socket closed or was abandoned: a WHATWG socket has no terminate(),
      // and its close event may come late (or not at all) when the peer is gone, so nothing waits for it.
      const end = (why?: string) => {
        if (ended) return;
        ended = true;
        if (why) reason = why;
        if (timer !== undefined) this.#timers.clear(timer);
        if (this.#socket === socket) this.#socket = undefined;
        if (this.#endSession === end) this.#endSession = undefined;
        resolve({ delivered, reason });
      };
      const drop = (why: string) => {
        reason = why;
        abandon(socket);
        end();
      };
      const arm = (ms: number, why: string, warning: string) => {
        if (timer !== undefined) this.#timers.clear(timer);
        timer = this.#timers.set(() => {
          this.#logger.warn(warning, { connection });
          drop(why);
        }, ms);
      };

      try {
        socket = this.#dial(this.#url);
      } catch (error) {
        reason = `could not open a WebSocket: ${describe(error)}`;
        resolve({ delivered, reason });
        return;
      }
      if ('binaryType' in socket) socket.binaryType = 'arraybuffer';
      this.#socket = socket;
      this.#endSession = end;
      // The handshake's own limit, on any implementation (ws also enforces handshakeTimeout itself).
      arm(this.#handshakeMs, `no handshake within ${this.#handshakeMs} ms`, 'Coinbase WebSocket handshake timed out');

      const silence = `no message for ${this.#livenessMs} ms`;
      const silenceWarning = `Coinbase WebSocket silent for ${this.#livenessMs} ms (missed heartbeats); dropping the connection`;
      const refresh = this.#timers.refresh;
      let liveness = false; // is `timer` the liveness timer (not the handshake's)?
      // Restarts the liveness countdown: on open, then on every frame (refreshed in place where the timers can).
      const live = () => {
        if (liveness && refresh && timer !== undefined) {
          refresh.call(this.#timers, timer);
          return;
        }
        arm(this.#livenessMs, silence, silenceWarning);
        liveness = true;
      };

      socket.addEventListener('open', () => {
        if (ended) return;
        live();
        this.#sendAll(socket, 'subscribe').then(
          () => {
            if (ended) return;
            this.#emit({ type: 'open', connection });
            this.#firstOpen.resolve();
          },
          (error: unknown) => {
            this.#logger.warn('Coinbase WebSocket subscribe failed', { error: describe(error) });
            drop('subscribe failed');
          },
        );
      });

      socket.addEventListener('message', (event) => {
        if (ended) return;
        live();
        // A text frame stays a string: `ws` has already decoded it, and a Buffer copy only to decode it again
        // cost more than the JSON.parse (profile); the queue's size is its UTF-8 length, counted without a copy.
        const data = typeof event.data === 'string' ? event.data : frameBytes(event.data);
        const frame = readFrame(data, this.#logger);
        const seq = frame.kind === 'envelope' ? frame.envelope.sequence_num : frame.sequenceNum;
        // An unreadable frame that showed its number still used it up: counted, so only real losses are gaps.
        const verdict = seq === undefined ? undefined : sequence.check(seq);
        if (verdict?.kind === 'duplicate') {
          this.#logger.debug('Dropping a duplicate or out-of-order WebSocket frame', { seq });
          return;
        }
        if (verdict?.kind === 'gap') {
          const { expected, received, missed } = verdict;
          this.#logger.warn(`Coinbase WebSocket sequence gap: expected ${expected}, got ${received}; resubscribing`, {
            expected,
            received,
            missed,
            connection,
          });
          this.#emit({ type: 'gap', expected, received, missed });
          this.#resubscribe(socket);
        }
        if (frame.kind !== 'envelope') return;
        delivered = true;
        const bytes = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : data.byteLength;
        this.#emit({ type: 'message', envelope: frame.envelope, bytes });
      });

      socket.addEventListener('error', (event) => {
        if (ended) return;
        reason = event.message || describeOptional(event.error) || 'socket error';
        this.#logger.debug('Coinbase WebSocket error', { error: reason });
      });

      socket.addEventListener('close', (event) => {
        if (reason === 'connection closed') reason = `closed with code ${event.code}`;
        end();
      });
    });
  }

  #resubscribe(socket: WebSocketLike): void {
    const data = this.#subscriptions.filter((s) => s.channel !== 'heartbeats');
    this.#sendAll(socket, 'unsubscribe', data)
      .then(() => this.#sendAll(socket, 'subscribe', data))
      .catch((error: unknown) =>
        this.#logger.warn('Coinbase WebSocket resubscribe failed', { error: describe(error) }),
      );
  }

  async #sendAll(
    socket: WebSocketLike,
    type: 'subscribe' | 'unsubscribe',
    subscriptions: readonly CoinbaseWsSubscription[] = this.#subscriptions,
  ): Promise<void> {
    for (const sub of subscriptions) {
      const message: Record<string, unknown> = { type, channel: sub.channel };
      if (sub.productIds.length > 0) message.product_ids = [...sub.productIds];
      if (this.#key) {
        const nowSeconds = Math.floor(this.#clock.now().getTime() / 1000);
        message.jwt = await signWebSocketJwt(this.#key, { nowSeconds });
      }
      if (socket.readyState !== OPEN) return;
      socket.send(JSON.stringify(message));
    }
  }

  #emit(event: WsEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#logger.warn('A Coinbase WebSocket listener threw', { error: describe(error) });
      }
    }
    for (const queue of this.#consumers) queue.push(event);
  }

  #finish(error?: unknown): void {
    for (const queue of this.#consumers) queue.end(error);
    this.#consumers.clear();
  }
}

function describeOptional(error: unknown): string {
  return error === undefined ? '' : describe(error);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
