import type { Clock, Decimal, Quote } from '@perps-bot/core';
import type { CoinbasePricebook, CoinbaseTicker } from '../schemas/market.js';

/**
 * A quote from the REST ticker. last = the newest trade's price; ts = its time, else the clock's now. When the
 * book has no bid or no ask, or there is no trade and so no last price, the exchange has no usable quote and
 * the answer is null (the mark-update path turns null into its "no quote" error).
 */
export function quoteFromTicker(symbol: string, ticker: CoinbaseTicker, clock: Clock): Quote | null {
  const trade = ticker.trades[0];
  const bid = ticker.best_bid;
  const ask = ticker.best_ask;
  if (!bid || !ask) return null;
  const last = trade?.price ?? midpoint(bid, ask);
  return { symbol, bid, ask, last, ts: trade?.time ?? clock.now() };
}

/**
 * A quote from a `/best_bid_ask` pricebook. That endpoint has no last trade, so last is the mid price: it lies
 * between bid and ask by construction, which is what the mark path reads.
 */
export function quoteFromPricebook(book: CoinbasePricebook, clock: Clock): Quote | null {
  const bid = book.bids[0]?.price;
  const ask = book.asks[0]?.price;
  if (!bid || !ask) return null;
  return { symbol: book.product_id, bid, ask, last: midpoint(bid, ask), ts: book.time ?? clock.now() };
}

export function midpoint(a: Decimal, b: Decimal): Decimal {
  return a.plus(b).div(2);
}
