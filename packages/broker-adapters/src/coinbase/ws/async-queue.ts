/**
 * A push/pull bridge from callbacks (socket events) to `for await`. Bounded: when the consumer falls behind by
 * more than `limit` items the oldest are dropped (market data goes stale, memory does not grow without end),
 * and `onDrop` is told so the owner can log it.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  readonly #items: T[] = [];
  readonly #waiters: Array<{ resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void }> = [];
  readonly #limit: number;
  readonly #onDrop: ((dropped: number) => void) | undefined;
  readonly #onReturn: (() => void) | undefined;
  #done = false;
  #error: unknown;
  #hasError = false;

  constructor(options: { limit?: number; onDrop?: (dropped: number) => void; onReturn?: () => void } = {}) {
    this.#limit = options.limit ?? 10_000;
    this.#onDrop = options.onDrop;
    this.#onReturn = options.onReturn;
  }

  get size(): number {
    return this.#items.length;
  }

  push(item: T): void {
    if (this.#done) return;
    const waiter = this.#waiters.shift();
    if (waiter) {
      waiter.resolve({ value: item, done: false });
      return;
    }
    this.#items.push(item);
    if (this.#items.length > this.#limit) {
      const dropped = this.#items.length - this.#limit;
      this.#items.splice(0, dropped);
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
    const item = this.#items.shift();
    if (item !== undefined) return Promise.resolve({ value: item, done: false });
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
    this.#items.length = 0;
    this.#hasError = false;
    this.end();
    this.#onReturn?.();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
