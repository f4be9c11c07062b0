interface AsyncQueueOptions<T> {
  /** Items buffered before the oldest are dropped (default 10 000). */
  readonly limit?: number;
  /** Bytes buffered (as `sizeOf` counts them) before the oldest items are dropped (default: no byte bound). */
  readonly maxBytes?: number;
  /** An item's size in bytes for `maxBytes` (default 0: only the count bounds the queue). */
  readonly sizeOf?: (item: T) => number;
  /** Told after each push that dropped items, with how many it dropped. */
  readonly onDrop?: (dropped: number) => void;
  /**
   * When items were dropped, the next read first returns this marker (with the number dropped since the last
   * read), so a consumer whose state depends on every item (an order book) knows to reset.
   */
  readonly dropMarker?: (dropped: number) => T;
  readonly onReturn?: () => void;
}

/**
 * A push/pull bridge from callbacks (socket events) to `for await`. Bounded by count and by bytes: when the
 * consumer falls behind the oldest items are dropped (market data goes stale, memory does not grow without
 * end). A ring buffer: push and drop are O(1) (the old array's splice/shift were O(n) per call).
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  #ring: (T | undefined)[] = new Array<T | undefined>(16);
  #sizes: number[] = new Array<number>(16).fill(0);
  #head = 0;
  #length = 0;
  #bytes = 0;
  #droppedSinceRead = 0;
  #droppedTotal = 0;
  readonly #waiters: Array<{ resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void }> = [];
  readonly #limit: number;
  readonly #maxBytes: number;
  readonly #sizeOf: ((item: T) => number) | undefined;
  readonly #onDrop: ((dropped: number) => void) | undefined;
  readonly #dropMarker: ((dropped: number) => T) | undefined;
  readonly #onReturn: (() => void) | undefined;
  #done = false;
  #error: unknown;
  #hasError = false;

  constructor(options: AsyncQueueOptions<T> = {}) {
    this.#limit = Math.max(1, options.limit ?? 10_000);
    this.#maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.#sizeOf = options.sizeOf;
    this.#onDrop = options.onDrop;
    this.#dropMarker = options.dropMarker;
    this.#onReturn = options.onReturn;
  }

  get size(): number {
    return this.#length;
  }

  /** Bytes held, as `sizeOf` counts them. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Items dropped since the queue was made. */
  get dropped(): number {
    return this.#droppedTotal;
  }

  push(item: T): void {
    if (this.#done) return;
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter.resolve({ value: item, done: false });
      return;
    }
    if (this.#length === this.#ring.length) this.#grow();
    const size = this.#sizeOf ? this.#sizeOf(item) : 0;
    const tail = (this.#head + this.#length) & (this.#ring.length - 1);
    this.#ring[tail] = item;
    this.#sizes[tail] = size;
    this.#length += 1;
    this.#bytes += size;
    let dropped = 0;
    // The newest item always stays, even if it alone is over the byte bound.
    while (this.#length > 1 && (this.#length > this.#limit || this.#bytes > this.#maxBytes)) {
      this.#dropOldest();
      dropped += 1;
    }
    if (dropped > 0) {
      this.#droppedSinceRead += dropped;
      this.#droppedTotal += dropped;
      this.#onDrop?.(dropped);
    }
  }

  /** No more items; pending and later reads finish (or reject with `error` once the buffer is drained). */
  end(error?: unknown): void {
    if (this.#done) return;
    this.#done = true;
    if (error !== undefined) {
      this.#hasError = true;
      this.#error = error;
    }
    for (const waiter of this.#waiters.splice(0)) {
      if (this.#hasError) waiter.reject(this.#error);
      else waiter.resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.#droppedSinceRead > 0 && this.#dropMarker) {
      const dropped = this.#droppedSinceRead;
      this.#droppedSinceRead = 0;
      return Promise.resolve({ value: this.#dropMarker(dropped), done: false });
    }
    if (this.#length > 0) {
      this.#droppedSinceRead = 0;
      return Promise.resolve({ value: this.#takeOldest(), done: false });
    }
    if (this.#done) {
      if (this.#hasError) {
        this.#hasError = false; // report the failure once, then behave as finished
        return Promise.reject(this.#error);
      }
      return Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    this.#ring = new Array<T | undefined>(16);
    this.#sizes = new Array<number>(16).fill(0);
    this.#head = 0;
    this.#length = 0;
    this.#bytes = 0;
    this.#droppedSinceRead = 0;
    this.#hasError = false;
    this.end();
    this.#onReturn?.();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  #takeOldest(): T {
    const item = this.#ring[this.#head] as T;
    this.#bytes -= this.#sizes[this.#head] ?? 0;
    this.#ring[this.#head] = undefined;
    this.#head = (this.#head + 1) & (this.#ring.length - 1);
    this.#length -= 1;
    return item;
  }

  #dropOldest(): void {
    this.#takeOldest();
  }

  /** Doubles the ring (capacity stays a power of two), keeping order: amortised O(1) per push. */
  #grow(): void {
    const capacity = this.#ring.length * 2;
    const ring = new Array<T | undefined>(capacity);
    const sizes = new Array<number>(capacity).fill(0);
    for (let i = 0; i < this.#length; i++) {
      const from = (this.#head + i) & (this.#ring.length - 1);
      ring[i] = this.#ring[from];
      sizes[i] = this.#sizes[from] ?? 0;
    }
    this.#ring = ring;
    this.#sizes = sizes;
    this.#head = 0;
  }
}
