import { ZERO, type Decimal, type OrderSide, type Position } from '@perps-bot/core';

/**
 * Signed size of a position: positive long, negative short. Position.quantity is documented as signed, but a
 * broker that reports an unsigned size with side "short" must not be read as long, so the side decides the sign.
 */
export function signedQuantity(position: Position): Decimal {
  const size = position.quantity.abs();
  return position.side === 'short' || position.quantity.isNegative() ? size.negated() : size;
}

/** The symbol's net signed position (zero when there is none). */
export function netQuantity(positions: readonly Position[], symbol: string): Decimal {
  let total = ZERO;
  for (const p of positions) if (p.symbol === symbol) total = total.plus(signedQuantity(p));
  return total;
}

export const signedOrderQuantity = (side: OrderSide, quantity: Decimal): Decimal =>
  side === 'BUY' ? quantity.abs() : quantity.abs().negated();

/**
 * An order reduces a position when it trades against it and is no larger than it: after the fill the position is
 * smaller and on the same side (or flat). An order that would flip the position opens new exposure on the other
 * side, so it is not reducing (the reference counted any opposite-side order as reducing, which let a flip through
 * reduce-only mode).
 */
export function isReducingOrder(current: Decimal, side: OrderSide, quantity: Decimal): boolean {
  if (current.isZero() || quantity.lessThanOrEqualTo(0)) return false;
  const against = current.isPositive() ? side === 'SELL' : side === 'BUY';
  return against && quantity.lessThanOrEqualTo(current.abs());
}

/** Contract sizes by symbol (PreTradeRequest.contractSizes); a symbol not listed counts as 1. */
export type ContractSizes = Readonly<Record<string, Decimal>>;

/**
 * A position's notional: |quantity| × |mark| × the product's contract size, since futures positions are counted
 * in contracts (BIP is 0.01 BTC each). A symbol without a known contract size counts as 1, as spot and INTX perps
 * are.
 */
export function positionNotional(position: Position, contractSizes: ContractSizes = {}): Decimal {
  const notional = position.quantity.abs().times(position.markPrice.abs());
  const size = contractSizes[position.symbol];
  return size === undefined ? notional : notional.times(size);
}

/** Total notional of every position not in `symbol` (the rest of the book, for total exposure). */
export function otherExposure(
  positions: readonly Position[],
  symbol: string,
  contractSizes: ContractSizes = {},
): Decimal {
  let total = ZERO;
  for (const p of positions) if (p.symbol !== symbol) total = total.plus(positionNotional(p, contractSizes));
  return total;
}
