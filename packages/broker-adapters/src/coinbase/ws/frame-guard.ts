import { isUsablePrice, midPrice, parseDecimal, type Quote, type StreamMessage } from '@perps-bot/core';

/** What the guard has refused since the source was built; health.json shows it as `stream`. */
export interface StreamFrameStats {
  /** Items for a product this connection did not subscribe to: dropped before any consumer sees them. */
  readonly unsubscribedFrames: number;
  /** The same, by product id (bounded: see MAX_TRACKED_PRODUCTS). */
  readonly unsubscribedByProduct: Readonly<Record<string, number>>;
  /** Items whose best bid/ask had no mid (a missing, zero or negative side, or bid > ask): the book was removed. */
  readonly booksWithoutMid: number;
}

/** Product ids counted one by one; a hostile feed could send a new id per frame. */
const MAX_TRACKED_PRODUCTS = 100;
const OTHER = '(other)';

/**
 * The Coinbase stream's own checks, applied to each flattened item before the market-data consumer reads it.
 * They sit here, at the adapter boundary, because the consumer's rules are the reference's (any product id
 * gets a window; (bid + ask) / 2 by truthiness), which the golden masters pin for the legacy loop:
 * - an item whose product_id is not one this connection subscribed to is dropped and counted, so it creates no
 *   window, no risk timestamp and no event;
 * - an item whose best_bid/best_ask (or bid/ask) do not form a mid (two positive finite sides, bid ≤ ask) loses
 *   those fields, so the consumer marks at the trade price (`price`) or skips the item: bid −1 / ask 2 is no
 *   longer a mark of 0.5, a bid of 0 no longer half the ask.
 */
export class StreamFrameGuard {
  readonly #subscribed: ReadonlySet<string>;
  readonly #stats: {
    unsubscribedFrames: number;
    booksWithoutMid: number;
    unsubscribedByProduct: Record<string, number>;
  };

  constructor(symbols: readonly string[], stats: StreamFrameGuard['stats'] = emptyStats()) {
    this.#subscribed = new Set(symbols);
    this.#stats = stats;
  }

  /** The shared counters (one object per source, across connections). */
  get stats(): { unsubscribedFrames: number; booksWithoutMid: number; unsubscribedByProduct: Record<string, number> } {
    return this.#stats;
  }

  /** The item as the consumer may see it, or undefined when it is dropped. */
  admit(item: StreamMessage): StreamMessage | undefined {
    const product = item.product_id;
    if (typeof product !== 'string' || !this.#subscribed.has(product)) {
      this.#countUnsubscribed(typeof product === 'string' ? product : String(product));
      return undefined;
    }
    return this.#withSaneBook(item);
  }

  /** True when a decoded quote is for a subscribed product, has a mid and a usable last price. */
  admitQuote(quote: Quote): boolean {
    if (!this.#subscribed.has(quote.symbol)) {
      this.#countUnsubscribed(quote.symbol);
      return false;
    }
    if (midPrice(quote.bid, quote.ask) === undefined || !isUsablePrice(quote.last)) {
      this.#stats.booksWithoutMid++;
      return false;
    }
    return true;
  }

  #withSaneBook(item: StreamMessage): StreamMessage {
    const hasBest = item.best_bid !== undefined || item.best_ask !== undefined;
    const hasPlain = item.bid !== undefined || item.ask !== undefined;
    if (!hasBest && !hasPlain) return item;
    const bidKey = hasBest ? 'best_bid' : 'bid';
    const askKey = hasBest ? 'best_ask' : 'ask';
    if (hasMid(item[bidKey], item[askKey])) return item;
    this.#stats.booksWithoutMid++;
    const { best_bid: _bb, best_ask: _ba, bid: _b, ask: _a, ...rest } = item;
    return rest;
  }

  #countUnsubscribed(product: string): void {
    const stats = this.#stats;
    stats.unsubscribedFrames++;
    const counts = stats.unsubscribedByProduct;
    const key = product in counts || Object.keys(counts).length < MAX_TRACKED_PRODUCTS ? product : OTHER;
    counts[key] = (counts[key] ?? 0) + 1;
  }
}

// Up to 15 significant digits a decimal string round-trips through a double, so comparing the two doubles
// orders the two decimals exactly; that covers every real ticker and keeps Decimal off the per-item path.
const FAST_TEXT = 15;

/** Whether two streamed sides form a mid (core midPrice's rule), cheaply for short text and numbers. */
function hasMid(bid: unknown, ask: unknown): boolean {
  if (isFastSide(bid) && isFastSide(ask)) {
    const b = Number(bid);
    const a = Number(ask);
    return Number.isFinite(b) && Number.isFinite(a) && b > 0 && b <= a;
  }
  return midPrice(parseDecimal(bid), parseDecimal(ask)) !== undefined;
}

// Module level, not a closure in hasMid: one function object per process instead of one per streamed item.
function isFastSide(v: unknown): boolean {
  return typeof v === 'number' || (typeof v === 'string' && v.length <= FAST_TEXT && isPlainDecimal(v));
}

/** `digits[.digits]` only: no sign, exponent, spaces or hex (Number would read "0x10" as 16). */
function isPlainDecimal(text: string): boolean {
  let digits = 0;
  let dot = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !dot) dot = true;
    else return false;
  }
  return digits > 0;
}

export function emptyStats(): StreamFrameGuard['stats'] {
  return {
    unsubscribedFrames: 0,
    booksWithoutMid: 0,
    unsubscribedByProduct: Object.create(null) as Record<string, number>,
  };
}
