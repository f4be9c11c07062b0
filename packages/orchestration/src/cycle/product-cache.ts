import {
  checkProduct,
  describeError,
  ProductSanityError,
  type Clock,
  type Logger,
  type Product,
} from '@perps-bot/core';

/** How long a product is trusted before it is asked for again. */
const DEFAULT_PRODUCT_REFRESH_MS = 15 * 60_000;

export interface ProductCacheOptions {
  readonly load: (symbol: string) => Promise<Product>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Default DEFAULT_PRODUCT_REFRESH_MS; a product older than this is fetched again before use. */
  readonly refreshMs?: number;
}

interface Entry {
  readonly product: Product;
  readonly fetchedAt: number;
}

/**
 * Products by symbol, each checked by core's checkProduct and refreshed after `refreshMs` (the cycle used to
 * keep the first answer for the life of the process, so a bad or changed size, step or contract size stayed).
 * - A first fetch that fails, or any answer that fails the check, throws: the symbol is not traded on it, and
 *   the next call asks again. A refused refresh also forgets the old product.
 * - A refresh that fails for any other reason (timeout, 5xx) keeps the product already known, with a warning,
 *   and is tried again on the next call.
 */
export class ProductCache {
  readonly refreshMs: number;
  readonly #options: ProductCacheOptions;
  readonly #entries = new Map<string, Entry>();

  constructor(options: ProductCacheOptions) {
    this.#options = options;
    const refreshMs = options.refreshMs ?? DEFAULT_PRODUCT_REFRESH_MS;
    this.refreshMs = Number.isFinite(refreshMs) && refreshMs > 0 ? refreshMs : DEFAULT_PRODUCT_REFRESH_MS;
  }

  async get(symbol: string): Promise<Product> {
    const now = this.#options.clock.now().getTime();
    const known = this.#entries.get(symbol);
    if (known && now - known.fetchedAt < this.refreshMs) return known.product;
    let product: Product;
    try {
      product = checkProduct(await this.#options.load(symbol));
    } catch (error) {
      if (!known || error instanceof ProductSanityError) {
        this.#entries.delete(symbol);
        throw error;
      }
      this.#options.logger.warn(
        `Could not refresh product ${symbol}: ${describeError(error)}; using the one fetched earlier`,
        { symbol },
      );
      return known.product;
    }
    this.#entries.set(symbol, { product, fetchedAt: now });
    return product;
  }
}
