import type { TestCredentials, TrustedKey } from './auth.js';

/** Coinbase's documented REST limits (reference §3): private 30 req/s per key, public 10 req/s per IP. */
export const PUBLISHED_RATE_LIMITS = { privatePerSecond: 30, publicPerSecond: 10 } as const;

/** Faults on REST answers. Each rate is a probability per request, drawn from the seed (see random.ts). */
export interface RestFaults {
  /** 429 with `Retry-After: retryAfterSeconds` and the documented error body. */
  readonly rate429?: number;
  readonly retryAfterSeconds?: number;
  readonly rate5xx?: number;
  /** 500 by default; 502/503 are what a load balancer in front of the exchange sends. */
  readonly status5xx?: number;
  /** A 200 whose body is cut short (invalid JSON) or has the wrong shape. */
  readonly rateMalformed?: number;
  /** The request hangs for `timeoutMs` (longer than any client timeout), then the socket is destroyed. */
  readonly rateTimeout?: number;
  readonly timeoutMs?: number;
  /** POST /orders is carried out, then its answer is lost: the client's retry must be idempotent. */
  readonly rateLostResponse?: number;
  /**
   * A 2xx answer of a market-data route (products, ticker, best bid/ask) with one hostile value in it (see
   * hostile.ts: an overflowing, NaN or zero price, a negative or zero bid, a far-future time).
   */
  readonly rateHostile?: number;
  /** How a lost answer is lost: a 503 from the edge (default) or the connection cut with no answer at all. */
  readonly lostResponseKind?: '503' | 'cut';
  /** Route names the rates apply to (the names in routes/index.ts); default: every route except `time`. */
  readonly routes?: readonly string[];
}

/** Faults on the WebSocket feed, per message sent (drawn from the seed, the connection number and the message number). */
export interface WsFaults {
  /** The connection is cut (no close frame) right after a message. */
  readonly dropRate?: number;
  /** Every connection is cut after this many messages. */
  readonly dropAfterMessages?: number;
  /** A message is lost: its sequence_num is used up but it is never sent. */
  readonly gapRate?: number;
  /** A frame that is not JSON is sent instead of the message. */
  readonly malformedRate?: number;
  /** A well-formed frame carrying one hostile value (see hostile.ts), a foreign product id among them. */
  readonly hostileRate?: number;
}

/** Positions answers that do not show the latest fills (GET /cfm/positions, /intx/positions and their singles). */
export interface PositionFaults {
  /** Serve the positions as they were when this was switched on, until it is switched off. */
  readonly stale?: boolean;
  /** Serve the positions as they were this many futures fills ago. */
  readonly lagFills?: number;
}

export interface Faults {
  readonly rest?: RestFaults;
  readonly ws?: WsFaults;
  readonly positions?: PositionFaults;
}

export interface SimOptions {
  /** Seeds the price paths, ids and fault draws. Same seed → same run. Default 1. */
  readonly seed?: number;
  /** 0 (default) picks a free port. The simulator only ever listens on 127.0.0.1. */
  readonly port?: number;
  /** Product ids; default DEFAULT_PRODUCT_IDS. Unknown ids are built from their suffix (see products.ts). */
  readonly products?: readonly string[] | undefined;
  /** Added latency in ms: one number for every route, or per route name with `*` as the default. */
  readonly latencyMs?: number | Readonly<Record<string, number>>;
  /** Seeded extra latency, uniform in [0, jitter). */
  readonly latencyJitterMs?: number;
  readonly faults?: Faults;
  /**
   * JWT checking: by default a test key pair is generated and exposed as `credentials`; pass keys to trust
   * your own, or `false` to accept unsigned requests.
   */
  readonly auth?: false | { readonly credentials?: TestCredentials; readonly keys?: readonly TrustedKey[] };
  /** Hosts accepted in the `uri` claim besides the request's Host header (e.g. `api.coinbase.com`). */
  readonly jwtHosts?: readonly string[];
  /** A token bucket like the exchange's (private endpoints: 30/s); exceeding it gives 429. Off by default. */
  readonly rateLimit?: { readonly perSecond: number; readonly burst?: number };
  /**
   * Coinbase's published REST limits (PUBLISHED_RATE_LIMITS): private endpoints 30 req/s, public ones (`/time`,
   * `/market/*`) 10 req/s, each its own bucket with one second's burst; exceeding one gives 429. Off by default;
   * `rateLimit`, when also set, applies on top to every route.
   */
  readonly publishedRateLimits?: boolean;
  /** How often the market moves one step (ms). 0 = only when `advance()` is called. Default 250. */
  readonly tickIntervalMs?: number;
  /** Heartbeats per connection subscribed to `heartbeats`. Default 1000 (the exchange's 1/s). */
  readonly heartbeatIntervalMs?: number;
  /** A connection that has not subscribed within this is closed. Default 5000 (the documented rule). */
  readonly subscribeTimeoutMs?: number;
  /** The simulator stops after this long without a request or an open WebSocket. Default 10 minutes. */
  readonly idleTimeoutMs?: number;
  /** The simulator stops after this long whatever happens. Default 60 minutes. */
  readonly lifetimeMs?: number;
  /** Enables the `/_sim/*` control endpoints (stats, faults, advance, pump) for a simulator in another process. */
  readonly control?: boolean;
  /**
   * Adds `sim_sent_mono_ns` (process.hrtime, the machine's monotonic clock) to every WebSocket envelope and to
   * each ticker in it, so a benchmark in another process can measure frame-to-window latency. Off by default:
   * not a Coinbase field.
   */
  readonly stampFrames?: boolean;
  /** Starting cash and coins; default USD 100,000, USDC 100,000. */
  readonly balances?: Readonly<Record<string, string>>;
  /** Wall time for timestamps. Default Date.now. */
  readonly now?: () => number;
  /** Called once when the simulator has stopped, with why. */
  readonly onClose?: (reason: CloseReason) => void;
}

export type CloseReason = 'close' | 'idle' | 'lifetime' | 'parent-exit' | 'signal';

export const DEFAULTS = {
  seed: 1,
  tickIntervalMs: 250,
  heartbeatIntervalMs: 1000,
  subscribeTimeoutMs: 5000,
  idleTimeoutMs: 10 * 60_000,
  lifetimeMs: 60 * 60_000,
  retryAfterSeconds: 1,
  timeoutMs: 30_000,
  status5xx: 500,
} as const;
