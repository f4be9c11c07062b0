import type { RestFaults } from '../options.js';
import { chance, draw } from '../random.js';

type BeforeFault = 'timeout' | '429' | '5xx';

interface RestFaultPlan {
  /** Answered instead of the route (the route never runs). */
  readonly before: BeforeFault | undefined;
  /** The route runs, then its answer is replaced by a 503 (only for POST: a lost response). */
  readonly lostResponse: boolean;
  /** The route's 2xx answer is sent broken: `truncated` JSON or a valid body of the wrong `shape`. */
  readonly malformed: 'truncated' | 'shape' | undefined;
}

const NONE: RestFaultPlan = { before: undefined, lostResponse: false, malformed: undefined };

/**
 * The faults for request number `n` on a route: a pure function of the seed, the route, n and the rates, so
 * a run reproduces. Each kind draws independently; when several hit, the first in order wins.
 */
export function planRestFaults(
  seed: number,
  faults: RestFaults | undefined,
  route: string,
  n: number,
  method: string,
): RestFaultPlan {
  if (!faults) return NONE;
  const applies = faults.routes ? faults.routes.includes(route) : route !== 'time';
  if (!applies) return NONE;
  let before: BeforeFault | undefined;
  if (chance(faults.rateTimeout, seed, route, n, 'timeout')) before = 'timeout';
  else if (chance(faults.rate429, seed, route, n, '429')) before = '429';
  else if (chance(faults.rate5xx, seed, route, n, '5xx')) before = '5xx';
  if (before) return { before, lostResponse: false, malformed: undefined };
  const lostResponse = method === 'POST' && chance(faults.rateLostResponse, seed, route, n, 'lost');
  const malformed =
    !lostResponse && chance(faults.rateMalformed, seed, route, n, 'malformed')
      ? draw(seed, route, n, 'malformed-kind') < 0.5
        ? 'truncated'
        : 'shape'
      : undefined;
  return { before: undefined, lostResponse, malformed };
}

/** A body cut in the middle (not JSON), or an object without any of the fields the route promises. */
export function malformText(json: string, kind: 'truncated' | 'shape'): string {
  if (kind === 'truncated') return json.slice(0, Math.max(1, Math.floor(json.length / 2)));
  return JSON.stringify({ unexpected: true });
}

/** A token bucket refilled continuously; `take()` says whether a request may pass and what the headers say. */
export class TokenBucket {
  readonly #capacity: number;
  readonly #perMs: number;
  readonly #now: () => number;
  #tokens: number;
  #last: number;

  constructor(perSecond: number, burst: number, now: () => number) {
    this.#capacity = burst;
    this.#perMs = perSecond / 1000;
    this.#now = now;
    this.#tokens = burst;
    this.#last = now();
  }

  take(): { ok: boolean; remaining: number; resetSeconds: number } {
    const t = this.#now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + (t - this.#last) * this.#perMs);
    this.#last = t;
    const ok = this.#tokens >= 1;
    if (ok) this.#tokens -= 1;
    const resetSeconds = Math.max(1, Math.ceil((1 - Math.min(this.#tokens, 1)) / this.#perMs / 1000));
    return { ok, remaining: Math.floor(this.#tokens), resetSeconds };
  }
}
