import type { Decimal } from '@perps-bot/core';

/**
 * Liquidation buffer of a notional held at a leverage cap: the share of equity left after the margin it needs,
 * (equity − notional / cap) / equity. Shared by the pre-trade check and the runtime monitor so both judge alike.
 */

/**
 * Whether the buffer is below `min`. Compared multiplied through by cap·equity, so a notional exactly at the
 * minimum passes exactly (no rounded division decides it). Non-positive equity has no buffer at all.
 */
export function bufferBelowMinimum(notional: Decimal, equity: Decimal, cap: Decimal, min: Decimal): boolean {
  if (!equity.greaterThan(0)) return true;
  return cap.times(equity).minus(notional).lessThan(min.times(equity).times(cap));
}

/** The buffer as a fraction (for messages and events); undefined when equity is not positive. */
export function bufferPct(notional: Decimal, equity: Decimal, cap: Decimal): Decimal | undefined {
  if (!equity.greaterThan(0)) return undefined;
  return equity.minus(notional.dividedBy(cap)).dividedBy(equity);
}
