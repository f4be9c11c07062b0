import { basePriceFor } from '@perps-bot/core';
import { Decimal } from '@perps-bot/core';

export type ProductKind = 'spot' | 'cfm' | 'intx';

/** What the simulator needs to know about a product; the wire shape is built from it in product-json.ts. */
export interface ProductDef {
  readonly id: string;
  readonly kind: ProductKind;
  readonly base: string;
  readonly quote: string;
  readonly startPrice: Decimal;
  readonly quoteIncrement: Decimal;
  readonly baseIncrement: Decimal;
  readonly baseMinSize: Decimal;
  readonly baseMaxSize: Decimal;
  /** Futures only: the base units one contract stands for (CFM sizes are in contracts). */
  readonly contractSize: Decimal;
  readonly venue: 'CBE' | 'FCM' | 'INTX';
  readonly maxLeverage: Decimal;
}

/**
 * The defaults: the two US perpetual-style futures (CFM) first, then spot. INTX perpetuals were retired from
 * Advanced Trade (2026-10-01), so they are no longer served by default; ask for `BTC-PERP-INTX` by id (the
 * `products` option) to exercise the legacy path.
 */
export const DEFAULT_PRODUCT_IDS = ['BIP-20DEC30-CDE', 'ETP-20DEC30-CDE', 'BTC-USD', 'ETH-USD'] as const;

// Nano contracts: BIP is 0.01 BTC with a $5 tick, ETP 0.1 ETH with a $0.50 tick (Coinbase Derivatives specs).
const CFM_SPECS: Record<string, { contractSize: string; tick: string; base: string }> = {
  BIP: { contractSize: '0.01', tick: '5', base: 'BTC' },
  BIT: { contractSize: '0.01', tick: '5', base: 'BTC' },
  ETP: { contractSize: '0.1', tick: '0.5', base: 'ETH' },
  SLP: { contractSize: '5', tick: '0.01', base: 'SOL' },
  XPP: { contractSize: '500', tick: '0.0001', base: 'XRP' },
};

/** Builds a product from its id alone: `-PERP-INTX` → INTX perp, `-CDE` → CFM future, anything else → spot. */
export function productFor(id: string): ProductDef {
  const upper = id.toUpperCase();
  const code = upper.split('-')[0] ?? upper;
  const startPrice = basePriceFor(upper);
  if (upper.endsWith('-CDE')) {
    const spec = CFM_SPECS[code] ?? { contractSize: '1', tick: tickFor(startPrice).toFixed(), base: code };
    return {
      id: upper,
      kind: 'cfm',
      base: spec.base,
      quote: 'USD',
      startPrice,
      quoteIncrement: new Decimal(spec.tick),
      baseIncrement: new Decimal(1),
      baseMinSize: new Decimal(1),
      baseMaxSize: new Decimal(5000),
      contractSize: new Decimal(spec.contractSize),
      venue: 'FCM',
      maxLeverage: new Decimal(10),
    };
  }
  if (upper.endsWith('-PERP-INTX')) {
    return {
      id: upper,
      kind: 'intx',
      base: code,
      quote: 'USDC',
      startPrice,
      quoteIncrement: tickFor(startPrice),
      baseIncrement: new Decimal('0.0001'),
      baseMinSize: new Decimal('0.0001'),
      baseMaxSize: new Decimal(1000),
      contractSize: new Decimal(1),
      venue: 'INTX',
      maxLeverage: new Decimal(20),
    };
  }
  const quote = upper.split('-')[1] ?? 'USD';
  return {
    id: upper,
    kind: 'spot',
    base: code,
    quote,
    startPrice,
    quoteIncrement: Decimal.min(new Decimal('0.01'), tickFor(startPrice)),
    baseIncrement: new Decimal('0.00000001'),
    baseMinSize: new Decimal('0.00000001'),
    baseMaxSize: new Decimal(10000),
    contractSize: new Decimal(1),
    venue: 'CBE',
    maxLeverage: new Decimal(1),
  };
}

/** A tick of about 1/100,000 of the price, on a power of ten, so every path has a few thousand steps of room. */
function tickFor(price: Decimal): Decimal {
  const exponent = Math.floor(Math.log10(price.toNumber())) - 5;
  return new Decimal(10).pow(Math.max(exponent, -8));
}

export class ProductCatalog {
  readonly #products = new Map<string, ProductDef>();

  constructor(ids: readonly string[]) {
    for (const id of ids) {
      const product = productFor(id);
      this.#products.set(product.id, product);
    }
  }

  get(id: string): ProductDef | undefined {
    return this.#products.get(id.toUpperCase());
  }

  all(): ProductDef[] {
    return [...this.#products.values()];
  }

  ids(): string[] {
    return [...this.#products.keys()];
  }
}
