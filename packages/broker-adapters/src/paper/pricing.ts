import { Decimal, type OrderSide, type Quote } from '@perps-bot/core';

/** Where a taker order fills: the ask for buys, the bid for sells, each moved against the taker by `slippage`. */
export function executablePrice(side: OrderSide, quote: Quote, slippage: Decimal): Decimal {
  return side === 'BUY' ? quote.ask.times(slippage.plus(1)) : quote.bid.times(new Decimal(1).minus(slippage));
}

/**
 * The fill price of a limit order against a quote, or null when it is not marketable: a buy fills when its
 * limit reaches the (slipped) ask, at the better of the two; a sell mirrors it on the bid.
 */
export function limitFillPrice(side: OrderSide, limit: Decimal, quote: Quote, slippage: Decimal): Decimal | null {
  const taker = executablePrice(side, quote, slippage);
  if (side === 'BUY') return limit.greaterThanOrEqualTo(taker) ? taker : null;
  return limit.lessThanOrEqualTo(taker) ? taker : null;
}
