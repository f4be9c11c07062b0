import {
  basePriceFor,
  Decimal,
  ErrorCodes,
  hashString,
  mulberry32,
  PerpsBotError,
  systemClock,
  type Candle,
  type Clock,
  type Product,
  type Quote,
} from '@perps-bot/core';
import type { PaperMarketData } from '../paper/paper-broker.js';
import { syntheticProduct } from '../paper/order-rules.js';

export interface DeterministicMarketOptions {
  /** Same seed → same prices, call for call. */
  readonly seed?: number;
  readonly clock?: Clock;
  /** Largest move per quote, in basis points of the price (default 20). */
  readonly stepBps?: number;
}

export type FailureMode = 'throw' | 'null';

interface SymbolState {
  readonly random: () => number;
  last: Decimal;
}

const SPREAD = new Decimal('0.0001');

/**
 * Prices with no network: each symbol's price is a seeded random walk, advanced on every quote, with a ±1 bp
 * spread (the reference's DeterministicBroker). It can be told to fail for a symbol, so error isolation can be
 * shown live.
 */
export class DeterministicMarket implements PaperMarketData {
  readonly #seed: number;
  readonly #clock: Clock;
  readonly #stepBps: number;
  readonly #symbols = new Map<string, SymbolState>();
  readonly #failures = new Map<string, FailureMode>();

  constructor(options: DeterministicMarketOptions = {}) {
    this.#seed = options.seed ?? 42;
    this.#clock = options.clock ?? systemClock;
    this.#stepBps = options.stepBps ?? 20;
  }

  failFor(symbol: string, mode: FailureMode = 'throw'): void {
    this.#failures.set(symbol, mode);
  }

  recover(symbol: string): void {
    this.#failures.delete(symbol);
  }

  async getQuote(symbol: string): Promise<Quote | null> {
    const failure = this.#failures.get(symbol);
    if (failure === 'throw') {
      throw new PerpsBotError(ErrorCodes.BROKER_FAILURE, `Deterministic broker told to fail for ${symbol}`, {
        details: { symbol },
      });
    }
    if (failure === 'null') return null;
    const last = this.#step(symbol);
    return {
      symbol,
      bid: last.times(Decimal.sub(1, SPREAD)),
      ask: last.times(Decimal.add(1, SPREAD)),
      last,
      ts: this.#clock.now(),
    };
  }

  async listProducts(): Promise<Product[]> {
    return [...this.#symbols.keys()].map((s) => this.#product(s));
  }

  async getProduct(symbol: string): Promise<Product> {
    return this.#product(symbol);
  }

  /**
   * A seeded history that ends at the current price (one candle per minute, closes on a walk of the same step
   * size), so a bot can warm its windows up without waiting: same seed, same history. Drawn from its own
   * generator, so asking for candles never changes the quotes that follow.
   */
  async getCandles(symbol: string, _granularity: string, limit: number): Promise<Candle[]> {
    const end = this.#state(symbol).last;
    const random = mulberry32((this.#seed ^ hashString(symbol)) + 0x5eed);
    const closes: Decimal[] = [end];
    for (let i = 1; i < limit; i++) {
      const move = new Decimal(Math.round((random() * 2 - 1) * this.#stepBps * 100)).div(1_000_000);
      closes.unshift((closes[0] as Decimal).div(move.plus(1)).toDecimalPlaces(Math.max(2, end.decimalPlaces())));
    }
    const now = this.#clock.now().getTime();
    return closes.map((close, i) => ({
      ts: new Date(now - (limit - i) * 60_000),
      open: close,
      high: close,
      low: close,
      close,
      volume: new Decimal(0),
    }));
  }

  #state(symbol: string): SymbolState {
    let state = this.#symbols.get(symbol);
    if (!state) {
      state = { random: mulberry32(this.#seed ^ hashString(symbol)), last: basePriceFor(symbol) };
      this.#symbols.set(symbol, state);
    }
    return state;
  }

  #step(symbol: string): Decimal {
    const state = this.#state(symbol);
    const move = new Decimal(Math.round((state.random() * 2 - 1) * this.#stepBps * 100)).div(1_000_000);
    const decimals = Math.max(2, state.last.decimalPlaces(), 8 - state.last.floor().toString().length);
    state.last = state.last.times(move.plus(1)).toDecimalPlaces(decimals);
    return state.last;
  }

  #product(symbol: string): Product {
    return syntheticProduct(symbol);
  }
}
