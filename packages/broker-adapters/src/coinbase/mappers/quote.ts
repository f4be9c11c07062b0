import type { Clock, Decimal, Quote } from '@perps-bot/core';
import type { CoinbasePricebook, CoinbaseTicker } from '../schemas/market.js';
import type { CoinbaseProduct } from '../schemas/products.js';

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
 * book: ts is the clock's now; bid and ask come from the `/best_bid_ask` pricebook when one was fetched with it
 * (signed path), else they equal last (the public path has no batch book, so no spread is known). No price
 * (a product that never traded, or an empty string) means no usable quote: null.
 */
export function quoteFromProduct(product: CoinbaseProduct, book: CoinbasePricebook | undefined, clock: Clock): Quote | null {
  const last = product.price;
  if (!last || !last.isFinite() || last.lessThanOrEqualTo(0)) return null;
  const bid = book?.bids[0]?.price;
  const ask = book?.asks[0]?.price;
  const withBook = bid !== undefined && ask !== undefined;
  return { symbol: product.product_id, bid: withBook ? bid : last, ask: withBook ? ask : last, last, ts: clock.now() };
}
