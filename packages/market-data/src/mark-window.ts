import type { Decimal } from 'decimal.js';

/**
 * One symbol's marks, oldest → newest, bounded to a size limit. Appending to a full window drops the oldest
 * by moving a start offset instead of copying the window; the backing array is compacted only after the
 * offset has grown past the limit, so each append costs amortised O(1) whatever the window size.
 */
export class MarkWindow {
  #items: Decimal[];
  #start = 0;

  constructor(initial: readonly Decimal[] = []) {
    this.#items = [...initial];
  }

  get length(): number {
    return this.#items.length - this.#start;
  }

  /** Appends a mark, then trims to the newest `limit` marks. Returns how many marks were dropped. */
  append(mark: Decimal, limit: number): number {
    this.#items.push(mark);
    const excess = this.length - limit;
    if (excess <= 0) return 0;
    this.#start += excess;
    if (this.#start >= Math.max(limit, 64)) {
      this.#items = this.#items.slice(this.#start);
      this.#start = 0;
    }
    return excess;
  }

  latest(): Decimal | undefined {
    return this.length === 0 ? undefined : this.#items[this.#items.length - 1];
  }

  /** A copy, oldest → newest. */
  toArray(): Decimal[] {
    return this.#items.slice(this.#start);
  }
}
