import type { Clock, Logger } from '@perps-bot/core';
import type { CdpKey } from '../auth/credentials.js';
import type { WsEnvelope } from './messages.js';
import type { WebSocketFactory } from './socket.js';

export interface CoinbaseWsSubscription {
  /** One channel per subscribe message, as Coinbase requires: `ticker`, `level2`, `market_trades`… */
  readonly channel: string;
  readonly productIds: readonly string[];
}

export interface CoinbaseWsClientOptions {
  readonly url: string;
  readonly subscriptions: readonly CoinbaseWsSubscription[];
  /** When present, every subscribe/unsubscribe carries a fresh JWT (they live two minutes). */
  readonly key?: CdpKey | undefined;
  /** Also subscribe to `heartbeats` (default true): quiet channels are closed by Coinbase after 60–90 s. */
  readonly heartbeats?: boolean | undefined;
  /** No frame at all for this long → the connection is presumed dead and the stream ends (default 10 s). */
  readonly livenessTimeoutMs?: number | undefined;
  readonly handshakeTimeoutMs?: number | undefined;
  /** Items buffered per consumer before the oldest are dropped (default 10 000). */
  readonly maxQueue?: number | undefined;
  /** Frame bytes buffered per consumer before the oldest are dropped (default DEFAULT_MAX_QUEUE_BYTES, 16 MiB). */
  readonly maxQueueBytes?: number | undefined;
  readonly logger?: Logger | undefined;
  readonly clock?: Clock | undefined;
  /**
   * Opens the socket (default: the `ws` package). Any WHATWG WebSocket fits — `globalWebSocketFactory` for
   * Node 22's global or one an interceptor such as msw installed.
   */
  readonly webSocket?: WebSocketFactory | undefined;
  /** The liveness timer; injectable so a test can make a connection "go silent" without waiting. */
  readonly timers?: LivenessTimers | undefined;
}

export interface LivenessTimers {
  set(callback: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  /**
   * Restarts a pending timer's countdown (same callback and delay) without making a new one; without it, the
   * client clears and sets. Re-arming on every frame was a clear + set per frame.
   */
  refresh?(handle: unknown): void;
}

export const realTimers: LivenessTimers = {
  set: (callback, ms) => setTimeout(callback, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
  refresh: (handle) => void (handle as NodeJS.Timeout).refresh(),
};

/** The byte bound of a consumer's queue: 16 MiB of frames (≈ 500 frames of 32 KB, ≈ 40k tickers). */
export const DEFAULT_MAX_QUEUE_BYTES = 16 * 1024 * 1024;

/** Drop warnings per consumer: at most one per this many ms, with the count since the last one. */
export const DROP_LOG_INTERVAL_MS = 1_000;

/** What a consumer of `events()` sees, in the order it happened. */
export type WsEvent =
  | { readonly type: 'open'; readonly connection: number }
  /** `bytes`: the frame's size (UTF-8), what the consumer queue's byte bound counts. */
  | { readonly type: 'message'; readonly envelope: WsEnvelope; readonly bytes: number }
  | { readonly type: 'gap'; readonly expected: number; readonly received: number; readonly missed: number }
  /** This consumer fell behind and `count` of its oldest events were dropped (state built from them is stale). */
  | { readonly type: 'dropped'; readonly count: number };
