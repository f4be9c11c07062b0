import { randomUUID } from 'node:crypto';
import {
  ConfigError,
  DEFAULT_MAX_CLOCK_SKEW_MS,
  silentLogger,
  systemClock,
  type Clock,
  type Logger,
} from '@perps-bot/core';
import type { CoinbaseCredentials } from './auth/credentials.js';
import type { MarginType } from './mappers/order-request.js';
import { DEFAULT_RETRY_POLICY, realSleep, type RetryPolicy, type Sleep } from './transport/retry.js';

const DEFAULT_API_URL = 'https://api.coinbase.com';
export const DEFAULT_WS_URL = 'wss://advanced-trade-ws.coinbase.com';
const BROKERAGE_PATH = '/api/v3/brokerage';

/** Coinbase's documented REST limits: private 30 req/s per key, public 10 req/s per IP. */
const DEFAULT_RATE_LIMITS = { privatePerSecond: 30, publicPerSecond: 10 } as const;

export interface CoinbaseBrokerOptions {
  /** Without credentials only public market data works (products, ticker quotes, candles). */
  readonly credentials?: CoinbaseCredentials | undefined;
  /**
   * REST base. An origin (`https://api.coinbase.com`, `http://127.0.0.1:4010`) gets `/api/v3/brokerage`
   * appended; a URL with a path is used as given.
   */
  readonly apiUrl?: string | undefined;
  /** Market-data WebSocket URL (default `wss://advanced-trade-ws.coinbase.com`). */
  readonly wsUrl?: string | undefined;
  /** Per-request timeout, default 10 s. */
  readonly timeoutMs?: number | undefined;
  readonly retry?: Partial<RetryPolicy> | undefined;
  /** Client-side token buckets; `false` turns them off (a simulator that wants to see 429s). */
  readonly rateLimit?: { privatePerSecond?: number; publicPerSecond?: number } | false | undefined;
  readonly derivatives?:
    | {
        /** Read US futures positions from /cfm/positions (default true). */
        readonly cfm?: boolean;
        /** Read INTX perpetual positions from /intx/positions/{uuid} when set. */
        readonly intxPortfolioUuid?: string;
        /** Sent with orders that carry a leverage. */
        readonly marginType?: MarginType;
      }
    | undefined;
  readonly logger?: Logger | undefined;
  readonly clock?: Clock | undefined;
  /** Injected so tests never wait: retries and rate limiting sleep through this (the WebSocket never waits: it does not reconnect). */
  readonly sleep?: Sleep | undefined;
  readonly random?: (() => number) | undefined;
  readonly fetch?: typeof fetch | undefined;
  /** Each attempt's timeout signal (default `AbortSignal.timeout(timeoutMs)`); a hook for tests. */
  readonly timeoutSignal?: ((ms: number) => AbortSignal) | undefined;
  /** The bot's stop signal: aborts requests in flight and retry waits (RequestAbortedError, REQUEST_ABORTED). */
  readonly stopSignal?: AbortSignal | undefined;
  /** Client order ids for orders placed without one (default: crypto.randomUUID). */
  readonly newClientOrderId?: (() => string) | undefined;
  /** How far an exchange time may run ahead of our clock before the receive time replaces it (default 5 s). */
  readonly maxClockSkewMs?: number | undefined;
  /** ORDER_PREVIEW_ENABLED: `POST /orders/preview` before each placement; its `errs` refuse the order (default false). */
  readonly previewOrders?: boolean | undefined;
  /**
   * Refuse orders for INTX perpetuals (`-PERP-INTX`) before any request, with a message saying they were retired
   * (default false: the INTX path stays for simulators, recorded data and tests). The app sets it for the live
   * exchange.
   */
  readonly refuseIntx?: boolean | undefined;
}

export interface ResolvedOptions {
  readonly baseUrl: URL;
  readonly wsUrl: string;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly rateLimit: { privatePerSecond: number; publicPerSecond: number } | false;
  readonly cfm: boolean;
  readonly intxPortfolioUuid: string | undefined;
  readonly marginType: MarginType | undefined;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly random: () => number;
  readonly fetch: typeof fetch;
  readonly timeoutSignal: ((ms: number) => AbortSignal) | undefined;
  readonly stopSignal: AbortSignal | undefined;
  readonly newClientOrderId: () => string;
  readonly maxClockSkewMs: number;
  readonly previewOrders: boolean;
  readonly refuseIntx: boolean;
}

export function resolveOptions(options: CoinbaseBrokerOptions): ResolvedOptions {
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!(timeoutMs > 0))
    throw new ConfigError('COINBASE_TIMEOUT_MS', `Coinbase timeout must be positive (got ${timeoutMs})`);
  const maxClockSkewMs = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  if (!(maxClockSkewMs >= 0 && Number.isFinite(maxClockSkewMs))) {
    throw new ConfigError(
      'PERPS_MAX_CLOCK_SKEW_SECONDS',
      `The allowed clock skew must be a finite number ≥ 0 (got ${maxClockSkewMs} ms)`,
    );
  }
  return {
    baseUrl: brokerageBaseUrl(options.apiUrl ?? DEFAULT_API_URL),
    wsUrl: options.wsUrl ?? DEFAULT_WS_URL,
    timeoutMs,
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    rateLimit: options.rateLimit === false ? false : { ...DEFAULT_RATE_LIMITS, ...options.rateLimit },
    cfm: options.derivatives?.cfm ?? true,
    intxPortfolioUuid: options.derivatives?.intxPortfolioUuid,
    marginType: options.derivatives?.marginType,
    logger: options.logger ?? silentLogger,
    clock: options.clock ?? systemClock,
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    timeoutSignal: options.timeoutSignal,
    stopSignal: options.stopSignal,
    newClientOrderId: options.newClientOrderId ?? (() => randomUUID()),
    maxClockSkewMs,
    previewOrders: options.previewOrders ?? false,
    refuseIntx: options.refuseIntx ?? false,
  };
}

function brokerageBaseUrl(apiUrl: string): URL {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new ConfigError('COINBASE_API_BASE_URL', `Coinbase API URL is not a URL: ${JSON.stringify(apiUrl)}`);
  }
  url.search = '';
  url.hash = '';
  if (url.pathname === '' || url.pathname === '/') url.pathname = BROKERAGE_PATH;
  return url;
}
