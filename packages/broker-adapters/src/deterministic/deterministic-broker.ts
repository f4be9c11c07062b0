import {
  Decimal,
  ErrorCodes,
  PerpsBotError,
  systemClock,
  type Balance,
  type Brokerage,
  type Candle,
  type Clock,
  type Fill,
  type ListOrdersFilter,
  type Order,
  type PlaceOrderRequest,
  type Position,
  type Product,
  type Quote,
} from '@perps-bot/core';
import { basePriceFor, isPerpetualSymbol } from './base-prices.js';
import { hashString, mulberry32 } from './seeded-random.js';

export interface DeterministicBrokerOptions {
  /** Same seed → same prices, call for call. */
  readonly seed?: number;
  readonly clock?: Clock;
  /** Largest move per quote, in basis points of the price (default 20). */
  readonly stepBps?: number;
  /** Starting USD balance (default 100000). */
  readonly startingUsd?: Decimal | string;
}

export type FailureMode = 'throw' | 'null';

interface SymbolState {
  readonly random: () => number;
  last: Decimal;
}

const SPREAD = new Decimal('0.0001');

/**
 * A broker with no network: each symbol's price is a seeded random walk, advanced on every quote. Orders fill
 * at once at the current price. It can be told to fail for a symbol, so error isolation can be shown live.
 */
export class DeterministicBroker implements Brokerage {
  readonly name = 'deterministic';
  readonly #seed: number;
  readonly #clock: Clock;
  readonly #stepBps: number;
  readonly #symbols = new Map<string, SymbolState>();
  readonly #failures = new Map<string, FailureMode>();
  readonly #orders = new Map<string, Order>();
  readonly #fills: Fill[] = [];
  readonly #positions = new Map<string, { quantity: Decimal; entry: Decimal }>();
  #usd: Decimal;
  #orderSeq = 0;

  constructor(options: DeterministicBrokerOptions = {}) {
    this.#seed = options.seed ?? 42;
    this.#clock = options.clock ?? systemClock;
    this.#stepBps = options.stepBps ?? 20;
    this.#usd = new Decimal(options.startingUsd ?? '100000');
  }

  /** From now on, quotes for the symbol throw (or answer null) until `recover` is called. */
  failFor(symbol: string, mode: FailureMode = 'throw'): void {
    this.#failures.set(symbol, mode);
  }

  recover(symbol: string): void {
    this.#failures.delete(symbol);
  }

  async connect(): Promise<boolean> {
    return true;
  }
  async disconnect(): Promise<void> {}
  async validateConnection(): Promise<boolean> {
    return true;
  }

  async listProducts(): Promise<Product[]> {
    return [...this.#symbols.keys()].map((s) => this.#product(s));
  }

  async getProduct(symbol: string): Promise<Product> {
    return this.#product(symbol);
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

  async getQuotes(symbols: readonly string[]): Promise<Map<string, Quote>> {
    const out = new Map<string, Quote>();
    for (const symbol of symbols) {
      const quote = await this.getQuote(symbol);
      if (quote) out.set(symbol, quote);
    }
    return out;
  }

  async getCandles(symbol: string, _granularity: string, limit: number): Promise<Candle[]> {
    const price = this.#state(symbol).last;
    const now = this.#clock.now().getTime();
    return Array.from({ length: limit }, (_, i) => ({
      ts: new Date(now - (limit - i) * 60_000),
      open: price,
      high: price,
      low: price,
      close: price,
      volume: new Decimal(0),
    }));
  }

  async listBalances(): Promise<Balance[]> {
    return [{ asset: 'USD', total: this.#usd, available: this.#usd, hold: new Decimal(0) }];
  }

  async listPositions(): Promise<Position[]> {
    const out: Position[] = [];
    for (const [symbol, p] of this.#positions) {
      if (p.quantity.isZero()) continue;
      const mark = this.#state(symbol).last;
      out.push({
        symbol,
        quantity: p.quantity,
        entryPrice: p.entry,
        markPrice: mark,
        unrealizedPnl: mark.minus(p.entry).times(p.quantity),
        realizedPnl: new Decimal(0),
        leverage: null,
        side: p.quantity.isNegative() ? 'short' : 'long',
      });
    }
    return out;
  }

  async placeOrder(request: PlaceOrderRequest): Promise<Order> {
    if (request.clientId) {
      const existing = [...this.#orders.values()].find((o) => o.clientId === request.clientId);
      if (existing) return existing;
    }
    const price = request.type === 'LIMIT' && request.price ? request.price : this.#state(request.symbol).last;
    const now = this.#clock.now();
    const id = `det-${++this.#orderSeq}`;
    this.#applyFill(request.symbol, request.side === 'BUY' ? request.quantity : request.quantity.negated(), price);
    const order: Order = {
      id,
      clientId: request.clientId ?? null,
      symbol: request.symbol,
      side: request.side,
      type: request.type,
      quantity: request.quantity,
      price: request.price ?? null,
      stopPrice: request.stopPrice ?? null,
      tif: request.tif ?? 'GTC',
      status: 'FILLED',
      filledQuantity: request.quantity,
      avgFillPrice: price,
      reduceOnly: request.reduceOnly ?? false,
      submittedAt: now,
      updatedAt: now,
    };
    this.#orders.set(id, order);
    this.#fills.push({
      id: `fill-${id}`,
      orderId: id,
      symbol: request.symbol,
      side: request.side,
      price,
      quantity: request.quantity,
      fee: new Decimal(0),
      ts: now,
    });
    return order;
  }

  async cancelOrder(orderId: string): Promise<boolean> {
    const order = this.#orders.get(orderId);
    return order !== undefined && order.status !== 'FILLED' && order.status !== 'CANCELLED';
  }

  async getOrder(orderId: string): Promise<Order | null> {
    return this.#orders.get(orderId) ?? null;
  }

  async listOrders(filter: ListOrdersFilter = {}): Promise<Order[]> {
    return [...this.#orders.values()]
      .filter((o) => (filter.symbol ? o.symbol === filter.symbol : true))
      .filter((o) => (filter.status ? o.status === filter.status : true))
      .slice(0, filter.limit ?? Number.POSITIVE_INFINITY);
  }

  async listFills(symbol?: string, limit?: number): Promise<Fill[]> {
    return this.#fills.filter((f) => (symbol ? f.symbol === symbol : true)).slice(0, limit ?? Number.POSITIVE_INFINITY);
  }

  /**
   * Spot pays for what it buys. Perpetuals are a margin account, as on the exchange: cash moves only by the
   * P&L a reducing fill realises, so equity (cash + unrealised P&L) does not jump when a position opens or
   * closes; the entry is the size-weighted average price of the open position.
   */
  #applyFill(symbol: string, signed: Decimal, price: Decimal): void {
    const position = this.#positions.get(symbol) ?? { quantity: new Decimal(0), entry: price };
    const current = position.quantity;
    const quantity = current.plus(signed);
    if (!isPerpetualSymbol(symbol)) {
      this.#usd = this.#usd.minus(signed.times(price));
      this.#positions.set(symbol, { quantity, entry: quantity.isZero() ? price : position.entry });
      return;
    }
    if (current.isZero() || current.isNegative() === signed.isNegative()) {
      const entry = position.entry.times(current.abs()).plus(price.times(signed.abs())).div(quantity.abs());
      this.#positions.set(symbol, { quantity, entry });
      return;
    }
    const closing = Decimal.min(current.abs(), signed.abs());
    const pnl = closing.times(price.minus(position.entry)).times(current.isNegative() ? -1 : 1);
    this.#usd = this.#usd.plus(pnl);
    const flipped = !quantity.isZero() && quantity.isNegative() !== current.isNegative();
    this.#positions.set(symbol, { quantity, entry: quantity.isZero() || flipped ? price : position.entry });
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
    const [base = symbol, quote = 'USD'] = symbol.split('-');
    return {
      symbol,
      baseAsset: base,
      quoteAsset: quote === 'PERP' ? 'USD' : quote,
      marketType: isPerpetualSymbol(symbol) ? 'PERPETUAL' : 'SPOT',
      minSize: new Decimal('1e-8'),
      stepSize: new Decimal('1e-8'),
      minNotional: new Decimal(10),
      priceIncrement: new Decimal('0.01'),
      leverageMax: isPerpetualSymbol(symbol) ? 20 : null,
      contractSize: new Decimal(1),
    };
  }
}
