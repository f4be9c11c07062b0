/**
 * Coinbase answers a `-USDC` subscription on the market-data channels with the `-USD` product's data under the
 * `-USD` id (the books are one; reference §0b, consistent with CCXT's handling — not stated in the official
 * docs, so unconfirmed offline). This maps each id a frame carries back to the id(s) the caller asked for.
 * The `user` channel is not aliased.
 */
export class ProductAliases {
  readonly #answers = new Map<string, string[]>();

  constructor(requested: readonly string[]) {
    const asked = new Set(requested.map((id) => id.toUpperCase()));
    for (const id of asked) {
      const usd = usdTwin(id);
      if (!usd) continue;
      const symbols = this.#answers.get(usd) ?? (asked.has(usd) ? [usd] : []);
      symbols.push(id);
      this.#answers.set(usd, symbols);
    }
  }

  /** The requested ids this frame's product id stands for: itself unless it answers a `-USDC` request. */
  resolve(productId: string): readonly string[] {
    return this.#answers.get(productId.toUpperCase()) ?? [productId];
  }
}

function usdTwin(productId: string): string | undefined {
  return productId.endsWith('-USDC') ? `${productId.slice(0, -'-USDC'.length)}-USD` : undefined;
}
