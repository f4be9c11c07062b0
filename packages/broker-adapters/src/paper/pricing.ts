import { Decimal, ErrorCodes, midPrice, QuoteError, type OrderSide, type Quote } from '@perps-bot/core';

/**
 * The quote a paper order may fill on: both sides positive and finite, bid ≤ ask. A paper fill at a negative
 * bid, at Infinity or across a crossed book would put a price nobody could trade into the paper ledger.
 */
export function requireTradableQuote(quote: Quote): Quote {
  if (midPrice(quote.bid, quote.ask) === undefined) {
    throw new QuoteError(
      ErrorCodes.BAD_QUOTE,
      quote.symbol,
      `Quote for ${quote.symbol} has no usable book (bid ${quote.bid.toString()}, ask ${quote.ask.toString()}); paper order not filled`,
    );
  }
  return quote;
}

/** Where a taker order fills: the ask for buys, the bid for sells, each moved against the taker by `slippage`. */
export function executablePrice(side: OrderSide, quote: Quote, slippage: Decimal): Decimal {
  requireTradableQuote(quote);
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
