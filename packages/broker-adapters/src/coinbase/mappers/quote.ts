import { isUsablePrice, midPrice, type Quote } from '@perps-bot/core';
import type { CoinbasePricebook, CoinbaseTicker } from '../schemas/market.js';

/** When the exchange's time for a symbol is believed (ExchangeTimeGuard.timeOf): now when missing or ahead. */
export type QuoteTime = (symbol: string, exchangeTime: Date | null | undefined) => Date;

/**
 * A quote from the REST ticker. last = the newest trade's price, else the mid; ts = the trade's time, unless
 * it is missing or ahead of our clock (then the receive time, see `QuoteTime`). The answer is null, not a
 * quote, when the book has no mid (a missing, zero or negative side, or bid > ask: (−1 + 2) / 2 is no price)
 * or the last price is not a positive finite decimal.
 */
export function quoteFromTicker(symbol: string, ticker: CoinbaseTicker, timeOf: QuoteTime): Quote | null {
  const trade = ticker.trades[0];
  const bid = ticker.best_bid;
  const ask = ticker.best_ask;
  const mid = midPrice(bid, ask);
  if (!bid || !ask || mid === undefined) return null;
  const last = trade?.price ?? mid;
  if (!isUsablePrice(last)) return null;
  return { symbol, bid, ask, last, ts: timeOf(symbol, trade?.time) };
}

/**
 * A quote from a `/best_bid_ask` pricebook. That endpoint has no last trade, so last is the mid price: it lies
 * between bid and ask by construction, which is what the mark path reads. No mid (see quoteFromTicker) → null.
 */
export function quoteFromPricebook(book: CoinbasePricebook, timeOf: QuoteTime): Quote | null {
  const bid = book.bids[0]?.price;
  const ask = book.asks[0]?.price;
  const mid = midPrice(bid, ask);
  if (!bid || !ask || mid === undefined) return null;
  return { symbol: book.product_id, bid, ask, last: mid, ts: timeOf(book.product_id, book.time) };
}
