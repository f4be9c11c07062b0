import { decimalToString, type Decimal } from '@perps-bot/core';
import type { L2Event } from './messages.js';

interface Side {
  readonly levels: Map<string, { price: Decimal; size: Decimal }>;
}

interface Book {
  readonly bids: Side;
  readonly asks: Side;
}

interface BestLevels {
  readonly bid: Decimal;
  readonly bidSize: Decimal;
  readonly ask: Decimal;
  readonly askSize: Decimal;
}

/**
 * The level2 books, only as far as the best bid and ask. A book is usable from its snapshot on; after a
 * sequence gap or a reconnect it is dropped until the fresh snapshot that the resubscription brings.
 */
export class L2Books {
  readonly #books = new Map<string, Book>();

  /** Applies one `l2_data` event; returns false when it was an update for a book that has no snapshot yet. */
  apply(event: L2Event): boolean {
    let book = this.#books.get(event.product_id);
    if (event.type === 'snapshot') {
      book = { bids: { levels: new Map() }, asks: { levels: new Map() } };
      this.#books.set(event.product_id, book);
    } else if (!book) {
      return false;
    }
    for (const update of event.updates) {
      // Coinbase names the ask side "offer".
      const side = update.side === 'bid' ? book.bids : book.asks;
      const key = decimalToString(update.price_level);
      if (update.new_quantity.isZero()) side.levels.delete(key);
      else side.levels.set(key, { price: update.price_level, size: update.new_quantity });
    }
    return true;
  }

  best(productId: string): BestLevels | null {
    const book = this.#books.get(productId);
    if (!book) return null;
    const bid = extreme(book.bids, (a, b) => a.greaterThan(b));
    const ask = extreme(book.asks, (a, b) => a.lessThan(b));
    if (!bid || !ask) return null;
    return { bid: bid.price, bidSize: bid.size, ask: ask.price, askSize: ask.size };
  }

  reset(): void {
    this.#books.clear();
  }
}

function extreme(side: Side, better: (a: Decimal, b: Decimal) => boolean): { price: Decimal; size: Decimal } | null {
  let best: { price: Decimal; size: Decimal } | null = null;
  for (const level of side.levels.values()) if (!best || better(level.price, best.price)) best = level;
  return best;
}
