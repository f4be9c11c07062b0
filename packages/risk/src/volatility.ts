import type { Decimal } from '@perps-bot/core';
import type { RiskConfig } from './risk-config.js';

/**
 * Volatility is a statistic (a square root of a mean of squares), not money: it is computed in floating point,
 * as the reference did, and only ever compared with thresholds. Prices enter as exact decimal returns and leave
 * the decimal world only at the conversion of each return.
 */

export type BreakerAction = 'none' | 'warning' | 'reduce_only' | 'kill_switch';

const ANNUALISE = Math.sqrt(252);

/** Sample standard deviation (n − 1), as Python's statistics.stdev; 0 for fewer than two values. */
export function sampleStdev(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const squares = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  return Math.sqrt(squares / (values.length - 1));
}

/**
 * Annualised volatility over the last `window` marks: stdev of simple returns × √252. Undefined when there are
 * fewer than `window` marks or fewer than max(10, ⌊window/2⌋) usable returns (a non-positive mark breaks a
 * return) — the reference's rule for "not enough data to judge".
 */
export function annualisedVolatility(marks: readonly Decimal[], window: number): number | undefined {
  if (marks.length < window) return undefined;
  const recent = marks.slice(marks.length - window);
  const returns: number[] = [];
  for (let i = 1; i < recent.length; i += 1) {
    const a = recent[i - 1];
    const b = recent[i];
    if (a === undefined || b === undefined || !a.greaterThan(0)) continue;
    returns.push(b.minus(a).dividedBy(a).toNumber());
  }
  if (returns.length < Math.max(10, Math.floor(window / 2))) return undefined;
  return sampleStdev(returns) * ANNUALISE;
}

type Thresholds = Pick<
  RiskConfig,
  'volatilityWarningThreshold' | 'volatilityReduceOnlyThreshold' | 'volatilityKillSwitchThreshold'
>;

/** The strongest action whose threshold the volatility reaches (thresholds are inclusive). */
export function breakerAction(volatility: number, config: Thresholds): BreakerAction {
  if (volatility >= config.volatilityKillSwitchThreshold) return 'kill_switch';
  if (volatility >= config.volatilityReduceOnlyThreshold) return 'reduce_only';
  if (volatility >= config.volatilityWarningThreshold) return 'warning';
  return 'none';
}

export interface VolatilityOutcome {
  readonly action: BreakerAction;
  /** The breaker fired on this call (warned, switched reduce-only or set the kill switch). */
  readonly triggered: boolean;
  /** Annualised volatility, or undefined when the breaker is off or there were too few marks to judge. */
  readonly volatility: number | undefined;
  /** The breaker fired for this symbol within the cooldown, so it stayed quiet. */
  readonly coolingDown: boolean;
}

const QUIET: VolatilityOutcome = Object.freeze({
  action: 'none',
  triggered: false,
  volatility: undefined,
  coolingDown: false,
});

type BreakerConfig = Thresholds &
  Pick<RiskConfig, 'enableVolatilityCircuitBreaker' | 'volatilityWindowPeriods' | 'circuitBreakerCooldownMinutes'>;

/**
 * Decides what the volatility circuit breaker does for a symbol, keeping each symbol's cooldown: after firing it
 * stays quiet for circuitBreakerCooldownMinutes (strictly less than the cooldown is quiet; at it, it may fire again).
 * Acting on the outcome (reduce-only, kill switch, the event) is the risk manager's job.
 */
export class VolatilityBreaker {
  readonly #lastTrigger = new Map<string, number>();
  readonly #config: BreakerConfig;

  constructor(config: BreakerConfig) {
    this.#config = config;
  }

  evaluate(symbol: string, marks: readonly Decimal[], nowMs: number): VolatilityOutcome {
    const config = this.#config;
    if (!config.enableVolatilityCircuitBreaker) return QUIET;
    const volatility = annualisedVolatility(marks, config.volatilityWindowPeriods);
    if (volatility === undefined) return QUIET;
    const last = this.#lastTrigger.get(symbol);
    if (last !== undefined && nowMs - last < config.circuitBreakerCooldownMinutes * 60_000) {
      return { action: 'none', triggered: false, volatility, coolingDown: true };
    }
    const action = breakerAction(volatility, config);
    if (action === 'none') return { action, triggered: false, volatility, coolingDown: false };
    this.#lastTrigger.set(symbol, nowMs);
    return { action, triggered: true, volatility, coolingDown: false };
  }
}
