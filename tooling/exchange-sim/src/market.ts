import { Decimal } from '@perps-bot/core';
import type { ProductCatalog, ProductDef } from './products.js';
import { hashString, mulberry32 } from './random.js';

interface SimTrade {
  readonly tradeId: string;
  readonly price: Decimal;
  readonly size: Decimal;
  readonly side: 'BUY' | 'SELL';
  readonly time: Date;
}

export interface SimQuote {
  readonly productId: string;
  readonly step: number;
  readonly price: Decimal;
  readonly bid: Decimal;
  readonly ask: Decimal;
  readonly bidSize: Decimal;
  readonly askSize: Decimal;
  readonly time: Date;
}

interface PathState {
  readonly product: ProductDef;
  readonly random: () => number;
  /** The price in ticks (multiples of the quote increment): the walk stays on the grid without floats. */
  ticks: number;
  readonly maxStep: number;
  readonly halfSpread: number;
  step: number;
  time: Date;
  low: number;
  high: number;
  readonly openTicks: number;
  volume: Decimal;
  readonly trades: SimTrade[];
}

const TRADE_HISTORY = 100;
// A step moves the price by at most ±0.05 %, the half spread is 0.005 % (at least one tick).
const STEP_FRACTION = 0.0005;
const HALF_SPREAD_FRACTION = 0.00005;

type StepListener = (productIds: readonly string[]) => void;

/**
 * Seeded price paths, one per product: step n of a product's path depends only on the seed and the product
 * id, so two simulators with the same seed show the same prices in the same order, whatever else happens.
 */
export class Market {
  readonly #paths = new Map<string, PathState>();
  readonly #listeners = new Set<StepListener>();
  readonly #now: () => number;

  constructor(seed: number, catalog: ProductCatalog, now: () => number = Date.now) {
    this.#now = now;
    for (const product of catalog.all()) {
      const ticks = product.startPrice.div(product.quoteIncrement).toDecimalPlaces(0).toNumber();
      this.#paths.set(product.id, {
        product,
        random: mulberry32(hashString(`${seed}|path|${product.id}`)),
        ticks,
        maxStep: Math.max(1, Math.round(ticks * STEP_FRACTION)),
        halfSpread: Math.max(1, Math.round(ticks * HALF_SPREAD_FRACTION)),
        step: 0,
        time: new Date(now()),
        low: ticks,
        high: ticks,
        openTicks: ticks,
        volume: new Decimal(0),
        trades: [
          { tradeId: '0', price: product.startPrice, size: product.baseMinSize, side: 'BUY', time: new Date(now()) },
        ],
      });
    }
  }

  /** Advances every product (or the given ones) by one step and tells the listeners. */
  step(productIds?: readonly string[]): void {
    const ids = productIds ?? [...this.#paths.keys()];
    for (const id of ids) this.#advance(id);
    for (const listener of this.#listeners) listener(ids);
  }

  /** Moves one product without notifying listeners (the WS pump sends its own frames). */
  advanceQuietly(productId: string): SimQuote {
    this.#advance(productId);
    return this.quote(productId) as SimQuote;
  }

  onStep(listener: StepListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  quote(productId: string): SimQuote | undefined {
    const path = this.#paths.get(productId.toUpperCase());
    if (!path) return undefined;
    const inc = path.product.quoteIncrement;
    const bidTicks = Math.max(1, path.ticks - path.halfSpread);
    const sizeSeed = (path.step % 17) + 1;
    return {
      productId: path.product.id,
      step: path.step,
      price: inc.mul(path.ticks),
      bid: inc.mul(bidTicks),
      ask: inc.mul(path.ticks + path.halfSpread),
      bidSize: path.product.baseMinSize.mul(sizeSeed * 10),
      askSize: path.product.baseMinSize.mul((18 - sizeSeed) * 10),
      time: path.time,
    };
  }

  /** Newest first, as the ticker endpoint lists them. */
  recentTrades(productId: string, limit: number): SimTrade[] {
    const path = this.#paths.get(productId.toUpperCase());
    if (!path) return [];
    return path.trades.slice(-limit).reverse();
  }

  stats24(productId: string): { low: Decimal; high: Decimal; open: Decimal; volume: Decimal } | undefined {
    const path = this.#paths.get(productId.toUpperCase());
    if (!path) return undefined;
    const inc = path.product.quoteIncrement;
    return { low: inc.mul(path.low), high: inc.mul(path.high), open: inc.mul(path.openTicks), volume: path.volume };
  }

  #advance(productId: string): void {
    const path = this.#paths.get(productId.toUpperCase());
    if (!path) return;
    const u = path.random();
    const delta = Math.round((u * 2 - 1) * path.maxStep);
    path.ticks = Math.max(path.halfSpread + 1, path.ticks + delta);
    path.step += 1;
    path.time = new Date(this.#now());
    path.low = Math.min(path.low, path.ticks);
    path.high = Math.max(path.high, path.ticks);
    const size = path.product.baseMinSize.mul(Math.floor(path.random() * 50) + 1);
    path.volume = path.volume.plus(size);
    path.trades.push({
      tradeId: String(path.step),
      price: path.product.quoteIncrement.mul(path.ticks),
      size,
      side: delta >= 0 ? 'BUY' : 'SELL',
      time: path.time,
    });
    if (path.trades.length > TRADE_HISTORY) path.trades.shift();
  }
}
