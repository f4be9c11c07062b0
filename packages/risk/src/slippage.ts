import { ZERO, type Decimal, type RiskDecision } from '@perps-bot/core';

export interface SlippageInput {
  readonly symbol: string;
  readonly bid: Decimal;
  readonly ask: Decimal;
  /** Estimated market impact of the order in basis points (from an impact estimator); 0 when unknown. */
  readonly impactBps?: Decimal;
}

const BPS = 10_000;

/**
 * Expected slippage of a market order = the quoted spread relative to mid, plus the estimated impact, in basis
 * points; refused when above `guardBps` (the reference's slippage_guard_bps; exactly at the guard passes, a guard
 * of 0 disables it). A crossed or non-positive quote is refused: slippage cannot be judged from it.
 */
export function evaluateSlippage(input: SlippageInput, guardBps: Decimal): RiskDecision {
  if (!guardBps.greaterThan(0)) return { allowed: true };
  const { symbol, bid, ask } = input;
  const impact = input.impactBps ?? ZERO;
  if (!bid.isFinite() || !ask.isFinite() || !bid.greaterThan(0) || ask.lessThan(bid)) {
    return {
      allowed: false,
      code: 'SLIPPAGE',
      reason: `${symbol}: cannot judge slippage from quote bid ${bid.toFixed()} / ask ${ask.toFixed()}`,
    };
  }
  const mid = bid.plus(ask).dividedBy(2);
  const spreadBps = ask.minus(bid).dividedBy(mid).times(BPS);
  const expected = spreadBps.plus(impact);
  if (expected.greaterThan(guardBps)) {
    const show = (v: Decimal): string => v.toDecimalPlaces(2).toFixed();
    return {
      allowed: false,
      code: 'SLIPPAGE',
      reason:
        `${symbol}: expected slippage ${show(expected)} bps (spread ${show(spreadBps)} + impact ${show(impact)}) ` +
        `exceeds the guard of ${show(guardBps)} bps`,
    };
  }
  return { allowed: true };
}
