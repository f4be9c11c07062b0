/**
 * How a lost stream is reopened. One policy for the whole bot: the market-data StreamingService owns
 * reconnection (the adapters' clients end their stream on a lost connection and never reconnect themselves).
 */
export interface ReconnectPolicy {
  /** Delay before the first reopen; each further attempt doubles it, up to `maxDelayMs`. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * Reopen attempts in a row without a single message before giving up. Infinity keeps trying: the risk
   * manager's staleness check, not the stream, decides when marks are too old to trade on.
   */
  readonly maxAttempts: number;
  /**
   * Spreads the delays of clients that failed together. `equal`: half the doubled step fixed, half random
   * (never a reopen at once); `full`: anywhere from 0 to the step; `none`: the step itself.
   */
  readonly jitter: ReconnectJitter;
}

export type ReconnectJitter = 'none' | 'equal' | 'full';

export const DEFAULT_RECONNECT: ReconnectPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxAttempts: Infinity,
  jitter: 'equal',
};

/** A source of uniform numbers in [0, 1]; injectable so a test (or a golden master) fixes the delays. */
export type Random = () => number;

/**
 * Delay before reopen attempt `attempt` (1-based), in whole ms. With `random` returning 1 every jitter mode
 * gives the doubled step itself (1 s, 2 s, 4 s…), which is what the golden masters record.
 */
export function reconnectDelayMs(policy: ReconnectPolicy, attempt: number, random: Random = Math.random): number {
  const step = Math.min(policy.initialDelayMs * 2 ** Math.max(0, attempt - 1), policy.maxDelayMs);
  switch (policy.jitter) {
    case 'none':
      return step;
    case 'full':
      return Math.round(step * random());
    case 'equal':
      return Math.round(step / 2 + (step / 2) * random());
  }
}

/**
 * Waits `ms`; injectable so tests never sleep. When `signal` aborts it settles early: an implementation may
 * resolve (the StreamingService's `timerSleep`) or reject (the HTTP client's `realSleep`); callers check the
 * signal afterwards either way.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;
