import { ConfigError } from '@perps-bot/core';
import type { Clock } from '@perps-bot/core';
import type { Sleep } from './retry.js';

export interface TokenBucketOptions {
  /** Sustained requests per second. */
  readonly ratePerSecond: number;
  /** Requests allowed at once after a quiet period (defaults to one second's worth). */
  readonly burst?: number;
  readonly clock: Clock;
  readonly sleep: Sleep;
}

/**
 * A client-side token bucket, so the bot slows itself down before Coinbase answers 429 (private endpoints
 * 30 req/s per key, public 10 req/s per IP). Callers queue in arrival order: each waits for the previous one's
 * token, so a burst of calls is spread out rather than all waking at the same instant.
 */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  readonly #clock: Clock;
  readonly #sleep: Sleep;
  #tokens: number;
  #lastMs: number;
  #queue: Promise<void> = Promise.resolve();

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0))
      throw new ConfigError(
        'ratePerSecond',
        `TokenBucket: ratePerSecond must be positive (got ${options.ratePerSecond})`,
      );
    this.#rate = options.ratePerSecond;
    this.#burst = Math.max(1, options.burst ?? options.ratePerSecond);
    this.#clock = options.clock;
    this.#sleep = options.sleep;
    this.#tokens = this.#burst;
    this.#lastMs = options.clock.now().getTime();
  }

  /** Tokens available right now (after refilling); for tests and metrics. */
  get available(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Resolves when the caller may send one request. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(() => this.#take(signal));
    // A caller that aborted must not block the ones behind it.
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async #take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      this.#refill();
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.#tokens) / this.#rate) * 1000);
      await this.#sleep(waitMs, signal);
    }
  }

  #refill(): void {
    const nowMs = this.#clock.now().getTime();
    const elapsed = Math.max(0, nowMs - this.#lastMs);
    this.#lastMs = nowMs;
    this.#tokens = Math.min(this.#burst, this.#tokens + (elapsed / 1000) * this.#rate);
  }
}
