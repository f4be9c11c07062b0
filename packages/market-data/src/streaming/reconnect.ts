/** How the StreamingService reopens a stream that dropped while it was not stopped. */
export interface ReconnectPolicy {
  /** Delay before the first reopen; each further attempt doubles it (1 s, 2 s, 4 s… as the Coinbase client). */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * Reopen attempts in a row without a single message before the service gives up and ends the loop.
   * Infinity (the default) keeps trying: the risk manager's staleness check, not the stream, decides when
   * marks are too old to trade on.
   */
  readonly maxAttempts: number;
}

export const DEFAULT_RECONNECT: ReconnectPolicy = { initialDelayMs: 1_000, maxDelayMs: 30_000, maxAttempts: Infinity };

/** Delay before reopen attempt `attempt` (1-based). */
export function reconnectDelayMs(policy: ReconnectPolicy, attempt: number): number {
  return Math.min(policy.initialDelayMs * 2 ** Math.max(0, attempt - 1), policy.maxDelayMs);
}

export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** Waits `ms`, or less when the signal aborts; never rejects. */
export const timerSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

const settled = (): true => true;

/** Resolves true when `promise` settles within `ms`, false otherwise; the timer never outlives the wait. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(settled, settled), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
