import { ConfigError } from '@perps-bot/core';
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** When the bot may trade. Times are "HH:MM" or "HH:MM:SS" in UTC; absent parts mean "no restriction". */
export interface TradingSession {
  readonly start?: string | undefined;
  readonly end?: string | undefined;
  readonly days?: readonly Weekday[] | undefined;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;

/** Milliseconds since midnight for "HH:MM[:SS]", or undefined when the text is not such a time. */
export function parseTimeOfDay(text: string): number | undefined {
  const match = TIME.exec(text.trim());
  if (!match) return undefined;
  const [, h = '0', m = '0', s = '0'] = match;
  return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000;
}

/**
 * The reference's TradingSessionGuard, in UTC on purpose: the reference compared against the machine's local
 * time although its canary profile documents the window in UTC, so the same config traded different hours
 * on differently configured hosts. Both ends are inclusive, as in the reference (`start <= t <= end`); a
 * window whose start is after its end wraps midnight (22:00–02:00). Days are checked on the UTC date of the
 * instant, and apply even without a time window.
 */
export class SessionGuard {
  readonly session: TradingSession;
  readonly #start: number | undefined;
  readonly #end: number | undefined;
  readonly #days: ReadonlySet<Weekday> | undefined;

  constructor(session: TradingSession = {}) {
    this.session = session;
    this.#start = session.start === undefined ? undefined : requireTime('start', session.start);
    this.#end = session.end === undefined ? undefined : requireTime('end', session.end);
    if ((this.#start === undefined) !== (this.#end === undefined)) {
      throw new ConfigError('tradingWindow', 'A trading window needs both a start and an end time');
    }
    this.#days = session.days && session.days.length > 0 ? new Set(session.days) : undefined;
  }

  isOpen(now: Date): boolean {
    const day = WEEKDAYS[now.getUTCDay()];
    if (this.#days && day !== undefined && !this.#days.has(day)) return false;
    if (this.#start === undefined || this.#end === undefined) return true;
    const t =
      ((now.getUTCHours() * 60 + now.getUTCMinutes()) * 60 + now.getUTCSeconds()) * 1000 + now.getUTCMilliseconds();
    if (this.#start <= this.#end) return this.#start <= t && t <= this.#end;
    return t >= this.#start || t <= this.#end;
  }

  /** "14:00–15:00 UTC mon,tue,wed,thu,fri", or "always". */
  describe(): string {
    const window = this.session.start && this.session.end ? `${this.session.start}–${this.session.end} UTC` : '';
    const days = this.#days ? WEEKDAYS.filter((d) => this.#days?.has(d)).join(',') : '';
    return [window, days].filter(Boolean).join(' ') || 'always';
  }
}

function requireTime(name: string, text: string): number {
  const ms = parseTimeOfDay(text);
  if (ms === undefined)
    throw new ConfigError(
      `tradingWindow.${name}`,
      `Trading window ${name} "${text}" is not a time of day (HH:MM or HH:MM:SS, UTC)`,
    );
  return ms;
}
