import { ZERO, type Decimal } from '@perps-bot/core';

export interface DailyPnlStatus {
  /** The equity recorded by the first call of the (UTC) day. */
  readonly startOfDayEquity: Decimal;
  /** Equity now minus the day's starting equity. */
  readonly dailyPnl: Decimal;
  /** The loss is beyond the limit now. */
  readonly breached: boolean;
  /** This call is the one that found the breach (once per day), so the caller acts and records it once. */
  readonly newlyBreached: boolean;
}

const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * Tracks the day's PnL from equity snapshots. The first snapshot of a UTC day is the day's start; a loss strictly
 * beyond the limit is a breach (a limit of 0 is no limit), reported as new only the first time in a day, so a bot that stays under water
 * does not flip reduce-only and write a breach event on every cycle.
 */
export class DailyLossTracker {
  #start: Decimal | undefined;
  #day: string | undefined;
  #breachReported = false;
  #last: DailyPnlStatus | undefined;

  update(equity: Decimal, now: Date, limit: Decimal): DailyPnlStatus {
    const day = utcDay(now);
    if (this.#start === undefined || this.#day !== day) this.reset(equity, now);
    const start = this.#start ?? equity;
    const dailyPnl = equity.minus(start);
    // A limit of 0 means no limit (the app's setting documents it so); any loss would otherwise "breach" it.
    const breached = limit.greaterThan(0) && dailyPnl.negated().greaterThan(limit);
    const newlyBreached = breached && !this.#breachReported;
    if (newlyBreached) this.#breachReported = true;
    this.#last = { startOfDayEquity: start, dailyPnl, breached, newlyBreached };
    return this.#last;
  }

  /** Starts a new day from `equity` (also what the first call of a day does). */
  reset(equity: Decimal, now: Date): void {
    this.#start = equity;
    this.#day = utcDay(now);
    this.#breachReported = false;
    this.#last = { startOfDayEquity: equity, dailyPnl: ZERO, breached: false, newlyBreached: false };
  }

  /** The UTC day being tracked, its starting equity and whether its breach was reported (to save and restore). */
  get saved(): { day: string; startOfDayEquity: Decimal; breached: boolean } | undefined {
    if (this.#start === undefined || this.#day === undefined) return undefined;
    return { day: this.#day, startOfDayEquity: this.#start, breached: this.#breachReported };
  }

  /** Continues a day saved before a restart: same start, and a breach already reported is not reported again. */
  restore(day: string, startOfDayEquity: Decimal, breached: boolean): void {
    this.#start = startOfDayEquity;
    this.#day = day;
    this.#breachReported = breached;
    this.#last = { startOfDayEquity, dailyPnl: ZERO, breached, newlyBreached: false };
  }

  /** The last status computed, or undefined before the first snapshot. */
  get status(): DailyPnlStatus | undefined {
    return this.#last;
  }
}
