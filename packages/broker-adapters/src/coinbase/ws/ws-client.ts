import { ErrorCodes, PerpsBotError, silentLogger, systemClock, type Clock, type Logger, type Quote } from '@perps-bot/core';
import WebSocket from 'ws';
import type { CdpKey } from '../auth/credentials.js';
import { signWebSocketJwt } from '../auth/jwt.js';
import { backoffDelayMs, realSleep, type Sleep } from '../transport/retry.js';
import { AsyncQueue } from './async-queue.js';
import { envelopeSchema, errorFrameSchema, eventItems, tickerQuoteSchema, type WsEnvelope } from './messages.js';

export interface CoinbaseWsSubscription {
  /** One channel per subscribe message, as Coinbase requires: `ticker`, `level2`, `market_trades`… */
  readonly channel: string;
  readonly productIds: readonly string[];
}

export interface ReconnectPolicy {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Consecutive failed connections before the client gives up (a connection that delivered data resets it). */
  readonly maxAttempts: number;
}

export interface CoinbaseWsClientOptions {
  readonly url: string;
  readonly subscriptions: readonly CoinbaseWsSubscription[];
  /** When present, every subscribe/unsubscribe carries a fresh JWT (they live two minutes). */
  readonly key?: CdpKey | undefined;
  /** Also subscribe to `heartbeats` (default true): quiet channels are closed by Coinbase after 60–90 s. */
  readonly heartbeats?: boolean | undefined;
  /** No frame at all for this long → the connection is presumed dead and replaced (default 10 s). */
  readonly livenessTimeoutMs?: number | undefined;
  readonly handshakeTimeoutMs?: number | undefined;
  readonly reconnect?: Partial<ReconnectPolicy> | undefined;
  /** Items buffered per consumer before the oldest are dropped (default 10 000). */
  readonly maxQueue?: number | undefined;
  readonly logger?: Logger | undefined;
  readonly clock?: Clock | undefined;
  readonly sleep?: Sleep | undefined;
  readonly random?: (() => number) | undefined;
  /** The liveness timer; injectable so a test can make a connection "go silent" without waiting. */
  readonly timers?: LivenessTimers | undefined;
}

export interface LivenessTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: LivenessTimers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export const DEFAULT_RECONNECT: ReconnectPolicy = { baseDelayMs: 1_000, maxDelayMs: 16_000, maxAttempts: 5 };

/** What a consumer of `events()` sees, in the order it happened. */
export type WsEvent =
  | { readonly type: 'open'; readonly connection: number }
  | { readonly type: 'message'; readonly envelope: WsEnvelope }
  | { readonly type: 'gap'; readonly expected: number; readonly received: number; readonly missed: number }
  | { readonly type: 'reconnecting'; readonly attempt: number; readonly delayMs: number; readonly reason: string };

type Listener = (event: WsEvent) => void;

/**
 * A Coinbase Advanced Trade market-data WebSocket that stays up: it subscribes right after connecting (one
 * channel per message, plus heartbeats), checks `sequence_num` for gaps (warns, emits a `gap`, resubscribes for
 * fresh snapshots), replaces a connection that goes silent or drops (backoff with jitter, then resubscribes),
 * skips frames it cannot read with a warning, and closes cleanly. Consume it with `events()`, `messages()` or
 * `quotes()`; each call is an independent async iterable.
 */
export class CoinbaseWsClient {
  readonly #url: string;
  readonly #subscriptions: readonly CoinbaseWsSubscription[];
  readonly #key: CdpKey | undefined;
  readonly #livenessMs: number;
  readonly #handshakeMs: number;
  readonly #reconnect: ReconnectPolicy;
  readonly #maxQueue: number;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #sleep: Sleep;
  readonly #random: () => number;
  readonly #timers: LivenessTimers;
  readonly #listeners = new Set<Listener>();
  readonly #consumers = new Set<AsyncQueue<WsEvent>>();
  readonly #stop = new AbortController();
  #socket: WebSocket | undefined;
  #loop: Promise<void> | undefined;
  #connections = 0;
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
    this.#reconnect = { ...DEFAULT_RECONNECT, ...options.reconnect };
    this.#maxQueue = options.maxQueue ?? 10_000;
    this.#logger = options.logger ?? silentLogger;
    this.#clock = options.clock ?? systemClock;
    this.#sleep = options.sleep ?? realSleep;
    this.#random = options.random ?? Math.random;
    this.#timers = options.timers ?? realTimers;
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
    if (this.closed) return Promise.reject(new PerpsBotError(ErrorCodes.STREAM, 'The Coinbase WebSocket client is closed'));
    this.#loop ??= this.#run();
    return this.#firstOpen.promise;
  }

  /** A raw listener, called synchronously; returns the unsubscribe function. */
  on(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Every event in order. Starts the connection; ends on close(), the signal, or (with an error) on giving up. */
  events(signal?: AbortSignal): AsyncIterableIterator<WsEvent> {
    const queue: AsyncQueue<WsEvent> = new AsyncQueue<WsEvent>({
      limit: this.#maxQueue,
      onDrop: (n) => this.#logger.warn(`Coinbase WebSocket consumer is behind; dropped ${n} oldest messages`, { dropped: n }),
      onReturn: () => this.#consumers.delete(queue),
    });
    if (this.closed || signal?.aborted) {
      queue.end();
      return queue;
    }
    this.#consumers.add(queue);
    signal?.addEventListener('abort', () => {
      this.#consumers.delete(queue);
      queue.end();
    }, { once: true });
    this.start().catch(() => undefined);
    return queue;
  }

  /** The market-data envelopes only. */
  async *messages(signal?: AbortSignal): AsyncGenerator<WsEnvelope> {
    for await (const event of this.events(signal)) if (event.type === 'message') yield event.envelope;
  }

  /**
   * Quotes from `ticker` frames: bid = best_bid, ask = best_ask, last = price, ts = the frame's timestamp
   * (else the clock). Tickers without a usable bid/ask/price are skipped.
   */
  async *quotes(signal?: AbortSignal): AsyncGenerator<Quote> {
    for await (const envelope of this.messages(signal)) {
      if (envelope.channel !== 'ticker' && envelope.channel !== 'ticker_batch') continue;
      const stamp = envelope.timestamp ? new Date(envelope.timestamp) : undefined;
      const ts = stamp && !Number.isNaN(stamp.getTime()) ? stamp : this.#clock.now();
      for (const event of envelope.events) {
        for (const raw of eventItems(event, 'tickers')) {
          const parsed = tickerQuoteSchema.safeParse(raw);
          if (!parsed.success) {
            this.#logger.debug('Skipping a ticker without bid/ask/price', { productId: raw.product_id });
            continue;
          }
          const t = parsed.data;
          yield { symbol: t.product_id, bid: t.best_bid, ask: t.best_ask, last: t.price, ts };
        }
      }
    }
  }

  /** Stops for good: no reconnect, every consumer finishes, the socket is closed with 1000. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.#stop.abort();
      const socket = this.#socket;
      if (socket && socket.readyState === WebSocket.OPEN) socket.close(1000, 'client closing');
      else socket?.terminate();
      this.#firstOpen.reject(new PerpsBotError(ErrorCodes.STREAM, 'The Coinbase WebSocket client was closed'));
    }
    await this.#loop;
    this.#finish();
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      const session = await this.#session();
      if (this.closed) break;
      failures = session.delivered ? 1 : failures + 1;
      if (failures > this.#reconnect.maxAttempts) {
        const error = new PerpsBotError(
          ErrorCodes.STREAM,
          `Coinbase WebSocket gave up after ${this.#reconnect.maxAttempts} failed reconnects (${session.reason})`,
          { details: { url: this.#url, reason: session.reason } },
        );
        this.#logger.error(error.message, { reason: session.reason });
        this.#stop.abort();
        this.#firstOpen.reject(error);
        this.#finish(error);
        return;
      }
      const delayMs = backoffDelayMs(failures, this.#reconnect, this.#random);
      this.#logger.warn(`Coinbase WebSocket lost (${session.reason}); reconnecting in ${delayMs} ms`, {
        attempt: failures,
        delayMs,
      });
      this.#emit({ type: 'reconnecting', attempt: failures, delayMs, reason: session.reason });
      try {
        await this.#sleep(delayMs, this.#stop.signal);
      } catch {
        break; // closed while waiting
      }
    }
    this.#finish();
  }

  /** One connection, from dial to close. Resolves (never rejects) with why it ended. */
  #session(): Promise<{ delivered: boolean; reason: string }> {
    return new Promise((resolve) => {
      const connection = ++this.#connections;
      let delivered = false;
      let reason = 'connection closed';
      let lastSeq = -1;
      let liveness: unknown;
      const socket = new WebSocket(this.#url, { handshakeTimeout: this.#handshakeMs, maxPayload: 10 * 1024 * 1024 });
      this.#socket = socket;

      const arm = () => {
        if (liveness !== undefined) this.#timers.clear(liveness);
        liveness = this.#timers.set(() => {
          reason = `no message for ${this.#livenessMs} ms`;
          this.#logger.warn(`Coinbase WebSocket silent for ${this.#livenessMs} ms (missed heartbeats); reconnecting`, {
            connection,
          });
          socket.terminate();
        }, this.#livenessMs);
      };

      socket.on('open', () => {
        arm();
        this.#sendAll(socket, 'subscribe').then(
          () => {
            this.#emit({ type: 'open', connection });
            this.#firstOpen.resolve();
          },
          (error: unknown) => {
            reason = 'subscribe failed';
            this.#logger.warn('Coinbase WebSocket subscribe failed', { error: describe(error) });
            socket.terminate();
          },
        );
      });

      socket.on('message', (data: WebSocket.RawData) => {
        arm();
        const envelope = this.#read(data);
        if (!envelope) return;
        const seq = envelope.sequence_num;
        if (lastSeq >= 0 && seq <= lastSeq) {
          this.#logger.debug('Dropping a duplicate or out-of-order WebSocket frame', { seq, lastSeq });
          return;
        }
        if (lastSeq >= 0 && seq > lastSeq + 1) {
          const gap = { expected: lastSeq + 1, received: seq, missed: seq - lastSeq - 1 };
          this.#logger.warn(`Coinbase WebSocket sequence gap: expected ${gap.expected}, got ${seq}; resubscribing`, gap);
          this.#emit({ type: 'gap', ...gap });
          this.#resubscribe(socket);
        }
        lastSeq = seq;
        delivered = true;
        this.#emit({ type: 'message', envelope });
      });

      socket.on('error', (error: Error) => {
        reason = error.message || 'socket error';
        this.#logger.debug('Coinbase WebSocket error', { error: reason });
      });

      socket.on('close', (code: number) => {
        if (liveness !== undefined) this.#timers.clear(liveness);
        if (this.#socket === socket) this.#socket = undefined;
        if (reason === 'connection closed') reason = `closed with code ${code}`;
        resolve({ delivered, reason });
      });
    });
  }

  /** Parses one frame; anything unreadable is a warning and the stream goes on. */
  #read(data: WebSocket.RawData): WsEnvelope | undefined {
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.#logger.warn('Ignoring a Coinbase WebSocket frame that is not JSON', { bytes: text.length });
      return undefined;
    }
    const error = errorFrameSchema.safeParse(json);
    if (error.success) {
      this.#logger.warn(`Coinbase WebSocket error frame: ${error.data.message}`, {});
      return undefined;
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) {
      const issue = envelope.error.issues[0];
      this.#logger.warn('Ignoring a Coinbase WebSocket frame of unexpected shape', {
        field: issue?.path.join('.') ?? '',
        problem: issue?.message ?? '',
      });
      return undefined;
    }
    return envelope.data;
  }

  #resubscribe(socket: WebSocket): void {
    const data = this.#subscriptions.filter((s) => s.channel !== 'heartbeats');
    this.#sendAll(socket, 'unsubscribe', data)
      .then(() => this.#sendAll(socket, 'subscribe', data))
      .catch((error: unknown) => this.#logger.warn('Coinbase WebSocket resubscribe failed', { error: describe(error) }));
  }

  async #sendAll(
    socket: WebSocket,
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
      if (socket.readyState !== WebSocket.OPEN) return;
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

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
