import {
  isUsablePrice,
  Decimal,
  ErrorCodes,
  PerpsBotError,
  QuoteError,
  silentLogger,
  systemClock,
  type Balance,
  type Brokerage,
  type Candle,
  type Clock,
  type Fill,
  type ListOrdersFilter,
  type Logger,
  type Order,
  type PlaceOrderRequest,
  type Position,
  type Product,
  type Quote,
  type QuoteSource,
} from '@perps-bot/core';
import { applyFill, FLAT, reducesOnly, type PaperHolding } from './ledger.js';
import {
  fromSnapshot,
  SNAPSHOT_JOURNAL_LIMIT,
  toSnapshot,
  type PaperJournalEntry,
  type PaperLedgerSnapshot,
} from './ledger-snapshot.js';
import { syntheticProduct, validatePaperOrder } from './order-rules.js';
import { executablePrice, limitFillPrice } from './pricing.js';

/**
 * Where the paper broker reads prices (and, if offered, products and candles). Deliberately no order methods:
 * even handed a live Coinbase adapter, the paper broker has no way to send it an order.
 */
export type PaperMarketData = QuoteSource &
  Partial<Pick<Brokerage, 'getQuotes' | 'getProduct' | 'listProducts' | 'getCandles'>>;

export interface PaperBrokerOptions {
  readonly marketData: PaperMarketData;
  /** Cash in the settlement asset at start (default 100000). */
  readonly startingBalance?: Decimal | string;
  readonly settlementAsset?: string;
  /** Fee on each fill's notional, in basis points (default 0). */
  readonly feeBps?: Decimal | string | number;
  /** Price moved against the taker on market and marketable orders, in basis points (default 0). */
  readonly slippageBps?: Decimal | string | number;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** A ledger saved earlier (`snapshot()`): the account resumes from it instead of the starting balance. */
  readonly restore?: PaperLedgerSnapshot;
  /** Called with the new snapshot after every fill or cancel, e.g. to persist the ledger as it changes. */
  readonly onChange?: (snapshot: PaperLedgerSnapshot) => void;
}

const ZERO = new Decimal(0);
const ONE = new Decimal(1);

/**
 * Trades on paper against real (or deterministic) quotes: market orders fill at the ask (buys) or bid (sells)
 * moved by the slippage, less the fee; marketable limits fill at once, others rest until `matchOpenOrders()`
 * or a cancel. Balances and positions are kept in decimals like a perpetuals margin account: cash changes by
 * realized P&L and fees. Idempotent on client order id. Nothing is ever sent to an exchange.
 */
export class PaperBroker implements Brokerage {
  readonly name: string = 'paper';
  readonly #market: PaperMarketData;
  readonly #asset: string;
  readonly #feeRate: Decimal;
  readonly #slippage: Decimal;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #orders = new Map<string, Order>();
  /** clientId → its placement (in flight or done): the idempotency record. */
  readonly #placements = new Map<string, Promise<Order>>();
  readonly #holdings = new Map<string, PaperHolding>();
  readonly #contractSizes = new Map<string, Decimal>();
  readonly #lastPrice = new Map<string, Decimal>();
  readonly #journal: PaperJournalEntry[] = [];
  readonly #onChange: ((snapshot: PaperLedgerSnapshot) => void) | undefined;
  #cash: Decimal;
  #seq = 0;

  constructor(options: PaperBrokerOptions) {
    this.#market = options.marketData;
    this.#asset = options.settlementAsset ?? 'USD';
    this.#feeRate = new Decimal(options.feeBps ?? 0).div(10_000);
    this.#slippage = new Decimal(options.slippageBps ?? 0).div(10_000);
    if (this.#feeRate.isNegative() || this.#slippage.isNegative()) {
      throw new PerpsBotError(ErrorCodes.CONFIG_INVALID, 'Paper broker fee and slippage must not be negative', {
        details: { setting: 'feeBps/slippageBps' },
      });
    }
    this.#cash = new Decimal(options.startingBalance ?? '100000');
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#onChange = options.onChange;
    if (options.restore) this.#restore(options.restore);
  }

  /** The whole account as plain JSON: cash, holdings, contract sizes, the recent fills and orders. */
  snapshot(): PaperLedgerSnapshot {
    return toSnapshot(this.#asset, {
      cash: this.#cash,
      seq: this.#seq,
      holdings: this.#holdings,
      contractSizes: this.#contractSizes,
      journal: this.#journal,
      orders: [...this.#orders.values()],
    });
  }

  /** Fills with the P&L each realized, oldest first (what a day's realized P&L is summed from). */
  journal(): readonly PaperJournalEntry[] {
    return this.#journal;
  }

  #restore(snapshot: PaperLedgerSnapshot): void {
    const state = fromSnapshot(snapshot);
    this.#cash = state.cash;
    this.#seq = state.seq;
    for (const [symbol, holding] of state.holdings) this.#holdings.set(symbol, holding);
    for (const [symbol, size] of state.contractSizes) this.#contractSizes.set(symbol, size);
    this.#journal.push(...state.journal);
    for (const order of state.orders) this.#orders.set(order.id, order);
  }

  #changed(): void {
    if (!this.#onChange) return;
    try {
      this.#onChange(this.snapshot());
    } catch (error) {
      this.#logger.error(`Could not save the paper ledger: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async connect(): Promise<boolean> {
    return true;
  }
  async disconnect(): Promise<void> {}
  async validateConnection(): Promise<boolean> {
    return true;
  }

  async listProducts(): Promise<Product[]> {
    return this.#market.listProducts ? this.#market.listProducts() : [];
  }

  async getProduct(symbol: string): Promise<Product> {
    if (this.#market.getProduct) return this.#market.getProduct(symbol);
    return syntheticProduct(symbol);
  }

  async getQuote(symbol: string): Promise<Quote | null> {
    const quote = await this.#market.getQuote(symbol);
    if (quote && isUsablePrice(quote.last)) this.#lastPrice.set(symbol, quote.last);
    return quote;
  }

  async getQuotes(symbols: readonly string[]): Promise<Map<string, Quote>> {
    if (this.#market.getQuotes) {
      // As getQuote does: the last price is the fallback mark of paper P&L, whichever path fetched it.
      const quotes = await this.#market.getQuotes(symbols);
      for (const [symbol, quote] of quotes) if (isUsablePrice(quote.last)) this.#lastPrice.set(symbol, quote.last);
      return quotes;
    }
    const out = new Map<string, Quote>();
    for (const symbol of symbols) {
      const quote = await this.getQuote(symbol);
      if (quote) out.set(symbol, quote);
    }
    return out;
  }

  async getCandles(symbol: string, granularity: string, limit: number): Promise<Candle[]> {
    if (!this.#market.getCandles) {
      throw new PerpsBotError(ErrorCodes.NOT_CONFIGURED, `The paper broker's market data has no candles (${symbol})`, {
        details: { symbol },
      });
    }
    return this.#market.getCandles(symbol, granularity, limit);
  }

  async listBalances(): Promise<Balance[]> {
    return [{ asset: this.#asset, total: this.#cash, available: this.#cash, hold: ZERO }];
  }

  /** Marks each open position at a fresh quote's last price (the last known one if the quote fails). */
  async listPositions(): Promise<Position[]> {
    const out: Position[] = [];
    for (const [symbol, holding] of this.#holdings) {
      if (holding.quantity.isZero()) continue;
      const mark = await this.#markPrice(symbol, holding);
      const contractSize = this.#contractSizes.get(symbol) ?? ONE;
      out.push({
        symbol,
        quantity: holding.quantity,
        entryPrice: holding.entry,
        markPrice: mark,
        unrealizedPnl: mark.minus(holding.entry).times(holding.quantity).times(contractSize),
        realizedPnl: holding.realized,
        leverage: null,
        side: holding.quantity.isNegative() ? 'short' : 'long',
      });
    }
    return out;
  }

  placeOrder(request: PlaceOrderRequest): Promise<Order> {
    const clientId = request.clientId;
    const known = clientId ? this.#placements.get(clientId) : undefined;
    if (known) return known;
    // Remembered before the quote is awaited, so a concurrent repeat gets this placement, not a second one.
    const placement = this.#place(request);
    if (clientId) {
      this.#placements.set(clientId, placement);
      placement.catch(() => this.#placements.delete(clientId));
    }
    return placement;
  }

  async #place(request: PlaceOrderRequest): Promise<Order> {
    validatePaperOrder(request, this.#holdings.get(request.symbol) ?? FLAT);
    return this.#execute(`paper-${++this.#seq}`, request);
  }

  /** Fills resting limit orders that the current quotes have made marketable; returns the ones filled. */
  async matchOpenOrders(): Promise<Order[]> {
    const filled: Order[] = [];
    for (const order of [...this.#orders.values()]) {
      if (order.status !== 'SUBMITTED' || !order.price) continue;
      const quote = await this.getQuote(order.symbol);
      if (!quote || !limitFillPrice(order.side, order.price, quote, this.#slippage)) continue;
      const holding = this.#holdings.get(order.symbol) ?? FLAT;
      if (order.reduceOnly && !reducesOnly(holding, order.side, order.quantity)) {
        this.#store({ ...order, status: 'CANCELLED', updatedAt: this.#clock.now() });
        continue;
      }
      // A resting order is the maker: it fills at its own limit, without slippage.
      filled.push(await this.#fill(order, order.price));
    }
    return filled;
  }

  async cancelOrder(orderId: string): Promise<boolean> {
    const order = this.#orders.get(orderId);
    if (!order || (order.status !== 'SUBMITTED' && order.status !== 'PENDING')) return false;
    this.#store({ ...order, status: 'CANCELLED', updatedAt: this.#clock.now() });
    return true;
  }

  async getOrder(orderId: string): Promise<Order | null> {
    return this.#orders.get(orderId) ?? null;
  }

  async getOrderByClientId(clientId: string): Promise<Order | null> {
    for (const order of this.#orders.values()) if (order.clientId === clientId) return order;
    return null;
  }

  async listOrders(filter: ListOrdersFilter = {}): Promise<Order[]> {
    return [...this.#orders.values()]
      .filter((o) => (filter.symbol ? o.symbol === filter.symbol : true))
      .filter((o) => (filter.status ? o.status === filter.status : true))
      .slice(0, filter.limit ?? Number.POSITIVE_INFINITY);
  }

  async listFills(symbol?: string, limit?: number): Promise<Fill[]> {
    return this.#journal
      .map((j) => j.fill)
      .filter((f) => (symbol ? f.symbol === symbol : true))
      .slice(0, limit ?? Number.POSITIVE_INFINITY);
  }

  async #execute(id: string, request: PlaceOrderRequest): Promise<Order> {
    const quote = await this.getQuote(request.symbol);
    if (!quote)
      throw new QuoteError(
        ErrorCodes.NO_QUOTE,
        request.symbol,
        `No quote for ${request.symbol}; paper order not filled`,
      );
    await this.#loadContractSize(request.symbol);
    const now = this.#clock.now();
    const order: Order = {
      id,
      clientId: request.clientId ?? null,
      symbol: request.symbol,
      side: request.side,
      type: request.type,
      quantity: request.quantity,
      price: request.price ?? null,
      stopPrice: null,
      tif: request.tif ?? (request.type === 'MARKET' ? 'IOC' : 'GTC'),
      status: 'SUBMITTED',
      filledQuantity: ZERO,
      avgFillPrice: null,
      reduceOnly: request.reduceOnly ?? false,
      submittedAt: now,
      updatedAt: now,
    };
    const price =
      request.type === 'MARKET'
        ? executablePrice(request.side, quote, this.#slippage)
        : limitFillPrice(request.side, request.price ?? ZERO, quote, this.#slippage);
    if (price) return this.#fill(order, price);
    // Not marketable: IOC and FOK die at once, GTC rests.
    return this.#store(order.tif === 'GTC' ? order : { ...order, status: 'CANCELLED' });
  }

  async #fill(order: Order, price: Decimal): Promise<Order> {
    const contractSize = this.#contractSizes.get(order.symbol) ?? ONE;
    const { holding, realized } = applyFill(
      this.#holdings.get(order.symbol) ?? FLAT,
      order.side,
      order.quantity,
      price,
      contractSize,
    );
    const fee = price.times(order.quantity).times(contractSize).times(this.#feeRate);
    this.#holdings.set(order.symbol, holding);
    this.#cash = this.#cash.plus(realized).minus(fee);
    this.#lastPrice.set(order.symbol, price);
    const now = this.#clock.now();
    const fill: Fill = {
      id: `${order.id}-fill`,
      orderId: order.id,
      symbol: order.symbol,
      side: order.side,
      price,
      quantity: order.quantity,
      fee,
      ts: now,
    };
    this.#journal.push({ fill, realized });
    // Bounded like the snapshot: a paper account that trades for months must not grow without end.
    if (this.#journal.length > 2 * SNAPSHOT_JOURNAL_LIMIT)
      this.#journal.splice(0, this.#journal.length - SNAPSHOT_JOURNAL_LIMIT);
    this.#logger.info(`Paper fill ${order.side} ${order.quantity.toFixed()} ${order.symbol} @ ${price.toFixed()}`, {
      symbol: order.symbol,
      orderId: order.id,
      fee: fee.toFixed(),
    });
    return this.#store({
      ...order,
      status: 'FILLED',
      filledQuantity: order.quantity,
      avgFillPrice: price,
      updatedAt: now,
    });
  }

  #store(order: Order): Order {
    this.#orders.set(order.id, order);
    this.#changed();
    return order;
  }

  async #loadContractSize(symbol: string): Promise<void> {
    if (this.#contractSizes.has(symbol) || !this.#market.getProduct) return;
    try {
      this.#contractSizes.set(symbol, (await this.#market.getProduct(symbol)).contractSize);
    } catch (error) {
      this.#logger.debug(`No product for ${symbol}; paper P&L uses contract size 1`, { symbol, error: String(error) });
      this.#contractSizes.set(symbol, ONE);
    }
  }

  async #markPrice(symbol: string, holding: PaperHolding): Promise<Decimal> {
    try {
      const quote = await this.getQuote(symbol);
      if (quote && isUsablePrice(quote.last)) return quote.last;
    } catch (error) {
      this.#logger.debug(`Paper mark for ${symbol} falls back to the last price`, { symbol, error: String(error) });
    }
    return this.#lastPrice.get(symbol) ?? holding.entry;
  }
}
