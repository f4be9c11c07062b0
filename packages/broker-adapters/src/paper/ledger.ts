import { Decimal, type OrderSide } from '@perps-bot/core';

const ZERO = new Decimal(0);

/** One symbol's holding: signed quantity (positive long), average entry, realized P&L so far. */
export interface PaperHolding {
  readonly quantity: Decimal;
  readonly entry: Decimal;
  readonly realized: Decimal;
}

export const FLAT: PaperHolding = { quantity: ZERO, entry: ZERO, realized: ZERO };

/**
 * Applies a fill the way a perpetuals margin account does: adding to a position moves the average entry;
 * reducing it realizes (exit − entry) × closed size × contract size; crossing zero closes the old side and
 * opens the rest at the fill price. Returns the new holding and the P&L realized by this fill.
 */
export function applyFill(
  holding: PaperHolding,
  side: OrderSide,
  quantity: Decimal,
  price: Decimal,
  contractSize: Decimal,
): { holding: PaperHolding; realized: Decimal } {
  const signed = side === 'BUY' ? quantity : quantity.negated();
  const current = holding.quantity;
  if (current.isZero() || current.isNegative() === signed.isNegative()) {
    const next = current.plus(signed);
    const entry = current.isZero() ? price : current.times(holding.entry).plus(signed.times(price)).div(next);
    return { holding: { quantity: next, entry, realized: holding.realized }, realized: ZERO };
  }
  const closing = Decimal.min(current.abs(), signed.abs());
  const direction = current.isNegative() ? -1 : 1;
  const realized = price.minus(holding.entry).times(closing).times(contractSize).times(direction);
  const next = current.plus(signed);
  const entry = next.isZero() ? ZERO : next.isNegative() === current.isNegative() ? holding.entry : price;
  return { holding: { quantity: next, entry, realized: holding.realized.plus(realized) }, realized };
}

/** True when an order of this side and size only shrinks the holding (never opens, grows or flips it). */
export function reducesOnly(holding: PaperHolding, side: OrderSide, quantity: Decimal): boolean {
  if (holding.quantity.isZero()) return false;
  const sellsLong = side === 'SELL' && holding.quantity.isPositive();
  const buysShort = side === 'BUY' && holding.quantity.isNegative();
  return (sellsLong || buysShort) && quantity.lessThanOrEqualTo(holding.quantity.abs());
}
