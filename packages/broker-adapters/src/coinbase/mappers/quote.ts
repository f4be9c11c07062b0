import type { Clock, Decimal, Quote } from '@perps-bot/core';
import type { CoinbaseTicker } from '../schemas/market.js';
import type { CoinbaseProductPrice } from '../schemas/product-prices.js';

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

export function midpoint(a: Decimal, b: Decimal): Decimal {
  return a.plus(b).div(2);
}

/**
 * A quote from a products-list entry (`GET /products?product_ids=…` or its public twin): `price` is the
 * product's last trade price, so last is a last-trade mark like the ticker's. The list has no trade time and no
 * book: ts is the clock's now and bid = ask = last. No price (a product that never traded, an empty string) or
 * a price that is not positive means no usable quote: null.
 */
export function quoteFromProduct(product: CoinbaseProductPrice, clock: Clock): Quote | null {
  const last = product.price;
  if (!last || !last.isFinite() || last.lessThanOrEqualTo(0)) return null;
  return { symbol: product.product_id, bid: last, ask: last, last, ts: clock.now() };
}
