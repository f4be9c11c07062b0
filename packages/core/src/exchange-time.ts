import type { Clock } from './clock.js';
import type { Logger } from './logger.js';

/** How far ahead of our clock an exchange time may be before it is not believed (clock drift, rounding). */
export const DEFAULT_MAX_CLOCK_SKEW_MS = 5_000;

export interface ExchangeTimeGuardOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Default DEFAULT_MAX_CLOCK_SKEW_MS. */
  readonly maxSkewMs?: number;
}

/**
 * Exchange timestamps are untrusted input: a trade time years in the future would make a mark look fresh for
 * years, and staleness would never halt trading. A time later than now + the allowed skew is replaced by the
 * receive time (our clock's now). The first replacement per symbol is logged at warn; later ones are only
 * counted, so a feed that is always ahead does not flood the log.
 */
export class ExchangeTimeGuard {
  readonly maxSkewMs: number;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #replaced = new Map<string, number>();

  constructor(options: ExchangeTimeGuardOptions) {
    const skew = options.maxSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
    this.maxSkewMs = Number.isFinite(skew) && skew >= 0 ? skew : DEFAULT_MAX_CLOCK_SKEW_MS;
    this.#clock = options.clock;
    this.#logger = options.logger;
  }

  /** The exchange's time when it is believable, else now; a missing time is now as well. */
  timeOf(symbol: string, exchangeTime: Date | null | undefined): Date {
    const now = this.#clock.now();
    if (exchangeTime === null || exchangeTime === undefined || Number.isNaN(exchangeTime.getTime())) return now;
    if (exchangeTime.getTime() <= now.getTime() + this.maxSkewMs) return exchangeTime;
    const count = (this.#replaced.get(symbol) ?? 0) + 1;
    this.#replaced.set(symbol, count);
    if (count === 1) {
      this.#logger.warn(
        `Exchange time ${exchangeTime.toISOString()} for ${symbol} is ahead of this machine's clock by more than ` +
          `${this.maxSkewMs} ms; using the receive time instead (logged once per symbol; check the clock with NTP)`,
        { symbol, exchangeTime: exchangeTime.toISOString(), receivedAt: now.toISOString(), maxSkewMs: this.maxSkewMs },
      );
    }
    return now;
  }

  /** How many times each symbol's exchange time was replaced. */
  replacements(): ReadonlyMap<string, number> {
    return this.#replaced;
  }
}
