import { isUsablePrice, midPrice, type Quote } from '@perps-bot/core';
import type { CoinbaseTicker } from '../schemas/market.js';
import type { CoinbaseProductPrice } from '../schemas/product-prices.js';

/** When the exchange's time for a symbol is believed (ExchangeTimeGuard.timeOf): now when missing or ahead. */
type QuoteTime = (symbol: string, exchangeTime: Date | null | undefined) => Date;

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
 * A quote from a products-list entry (`GET /products?product_ids=…` or its public twin): `price` is the
 * product's last trade price, so last is a last-trade mark like the ticker's. The list has no trade time and no
 * book: ts is the receive time (`timeOf` without an exchange time) and bid = ask = last. No price (a product
 * that never traded, an empty string) or one that is not a positive finite decimal means no usable quote: null.
 */
export function quoteFromProduct(product: CoinbaseProductPrice, timeOf: QuoteTime): Quote | null {
  const last = product.price;
  if (!last || !isUsablePrice(last)) return null;
  return { symbol: product.product_id, bid: last, ask: last, last, ts: timeOf(product.product_id, undefined) };
}
