import {
  MAX_QUOTES_PER_BATCH,
  describeError,
  ExchangeTimeGuard,
  isPerpsBotError,
  OrderOutcomeUnknownError,
  type Balance,
  type Brokerage,
  type Candle,
  type ClientOrderLookup,
  type ClosePositionRequest,
  type Fill,
  type ListOrdersFilter,
  type Order,
  type PlaceOrderRequest,
  type Position,
  type Product,
  type Quote,
} from '@perps-bot/core';
import { loadCdpKey, type CdpKey } from './auth/credentials.js';
import { BoundedMap } from './bounded-map.js';
import { MAX_CANDLES, resolveGranularity } from './candles.js';
import {
  CoinbaseIntxRetiredError,
  CoinbaseNotFoundError,
  CoinbaseOrderRejectedError,
  mayHaveExecuted,
  type CoinbaseErrorContext,
} from './errors.js';
import { previewOrRefuse } from './order-preview.js';
import { toBalance, toCandle, toFill } from './mappers/account.js';
import { rejectionReason } from './mappers/reject-reason.js';
import { buildClosePositionBody, buildCreateOrderBody, submittedOrder } from './mappers/order-request.js';
import type { CreateOrderResponse } from './schemas/orders.js';
import { coinbaseStatusesFor, toOrder } from './mappers/order.js';
import { fromCfmPosition, fromIntxPosition } from './mappers/position.js';
import { isIntxPerpetual, toProduct } from './mappers/product.js';
import { quoteFromProduct, quoteFromTicker } from './mappers/quote.js';
import { resolveOptions, type CoinbaseBrokerOptions, type ResolvedOptions } from './options.js';
import { CoinbaseRestClient } from './rest-client.js';
import { CoinbaseHttpClient } from './transport/http-client.js';
import { TokenBucket } from './transport/rate-limiter.js';
import { CoinbaseMarketDataStream, type CoinbaseStreamOptions } from './ws/stream-source.js';

/** Client order ids remembered for idempotency within this process. */
const REMEMBERED_ORDERS = 5_000;
/** How far before the intent a client-id look-up starts listing: the exchange's and our clocks differ a little. */
const LOOKUP_SKEW_MS = 5 * 60_000;

/**
 * The Brokerage interface over Coinbase Advanced Trade: spot, US futures (CFM, `BIP-20DEC30-CDE`) and the
 * legacy INTX perpetuals (`BTC-PERP-INTX`). Errors are the typed classes of `./errors.ts`; quotes come from
 * the REST ticker (one symbol) or the products list with `product_ids` (many in one request).
 */
export class CoinbaseBrokerage implements Brokerage {
  readonly name = 'coinbase';
  readonly rest: CoinbaseRestClient;
  readonly #o: ResolvedOptions;
  readonly #key: CdpKey | undefined;
  /** Exchange times ahead of our clock by more than the skew become the receive time (logged once per symbol). */
  readonly #times: ExchangeTimeGuard;
  /** clientOrderId → the placement in flight or done, so a repeat never sends a second order. */
  readonly #placements = new BoundedMap<string, Promise<Order>>(REMEMBERED_ORDERS);
  /** orderId → reduce-only, which Coinbase's order answers do not echo. */
  readonly #reduceOnly = new BoundedMap<string, boolean>(REMEMBERED_ORDERS);

  constructor(options: CoinbaseBrokerOptions = {}) {
    this.#o = resolveOptions(options);
    this.#key = options.credentials ? loadCdpKey(options.credentials) : undefined;
    this.#times = new ExchangeTimeGuard({
      clock: this.#o.clock,
      logger: this.#o.logger,
      maxSkewMs: this.#o.maxClockSkewMs,
    });
    const { rateLimit, clock, sleep } = this.#o;
    const limiters = rateLimit
      ? {
          private: new TokenBucket({ ratePerSecond: rateLimit.privatePerSecond, clock, sleep }),
          public: new TokenBucket({ ratePerSecond: rateLimit.publicPerSecond, clock, sleep }),
        }
      : {};
    const http = new CoinbaseHttpClient({ ...this.#o, key: this.#key, limiters });
    this.rest = new CoinbaseRestClient(http);
  }

  /** A WebSocket market-data source sharing this adapter's URL, key, logger and clock. */
  marketDataStream(overrides: Partial<CoinbaseStreamOptions> = {}): CoinbaseMarketDataStream {
    return new CoinbaseMarketDataStream({
      url: this.#o.wsUrl,
      key: this.#key,
      logger: this.#o.logger,
      clock: this.#o.clock,
      ...overrides,
    });
  }

  /** Proves the exchange answers and, with credentials, that the key is accepted. Throws the typed error. */
  async connect(): Promise<boolean> {
    await this.rest.getServerTime();
    if (this.rest.authenticated) await this.rest.checkCredentials();
    return true;
  }

  async disconnect(): Promise<void> {
    // REST holds no connection; WebSocket streams are closed by their own signal or close().
  }

  async validateConnection(): Promise<boolean> {
    try {
      return await this.connect();
    } catch (error) {
      this.#o.logger.warn(`Coinbase connection check failed: ${describeError(error)}`, {
        code: isPerpsBotError(error) ? error.code : undefined,
      });
      return false;
    }
  }

  /** Every product that passes core's checkProduct; a refused one is left out with a warning naming its field. */
  async listProducts(): Promise<Product[]> {
    const products: Product[] = [];
    for (const raw of await this.rest.listProducts()) {
      try {
        products.push(toProduct(raw));
      } catch (error) {
        if (!isPerpsBotError(error)) throw error;
        this.#o.logger.warn(describeError(error), { symbol: raw.product_id, code: error.code });
      }
    }
    return products;
  }

  async getProduct(symbol: string): Promise<Product> {
    return toProduct(await this.rest.getProduct(symbol));
  }

  /**
   * Typed errors propagate (rate limit, auth…); null means the exchange answered without a usable price: no
   * mid (a missing or non-positive side, or a crossed book) or a last price that is not positive.
   */
  async getQuote(symbol: string): Promise<Quote | null> {
    const quote = quoteFromTicker(symbol, await this.rest.getTicker(symbol, 1), this.#timeOf);
    if (!quote) this.#o.logger.debug(`Coinbase has no usable bid/ask or last price for ${symbol}`, { symbol });
    return quote;
  }

  /**
   * Last-trade quotes for many symbols in one round trip, for the mark path: the products list with
   * `product_ids` (public `/market/products` without a key, `/products` with one) carries each product's last
   * trade price. It has no book, so bid = ask = last (getQuote has the real book). Chunks of MAX_QUOTES_PER_BATCH
   * ids go out together, so the cost in round trips is flat in the symbol count (1,000 symbols: 10 requests,
   * within one second's burst of either published limit). Symbols without a usable price are left out.
   */
  async getQuotes(symbols: readonly string[]): Promise<Map<string, Quote>> {
    const unique = [...new Set(symbols)];
    const chunks: string[][] = [];
    for (let i = 0; i < unique.length; i += MAX_QUOTES_PER_BATCH)
      chunks.push(unique.slice(i, i + MAX_QUOTES_PER_BATCH));
    const answered = await Promise.all(chunks.map((chunk) => this.rest.listProductPrices(chunk)));
    const wanted = new Set(unique);
    const out = new Map<string, Quote>();
    for (const products of answered) {
      for (const product of products) {
        if (!wanted.has(product.product_id)) continue;
        const quote = quoteFromProduct(product, this.#timeOf);
        if (quote) out.set(quote.symbol, quote);
        else this.#o.logger.debug(`Coinbase lists no price for ${product.product_id}`, { symbol: product.product_id });
      }
    }
    return out;
  }

  readonly #timeOf = (symbol: string, at: Date | null | undefined): Date => this.#times.timeOf(symbol, at);

  /** The last `limit` candles (≤ 350) ending now, oldest first. */
  async getCandles(symbol: string, granularity: string, limit: number): Promise<Candle[]> {
    const { name, seconds } = resolveGranularity(granularity);
    const count = Math.max(1, Math.min(MAX_CANDLES, Math.floor(limit)));
    const end = this.#o.clock.now();
    const start = new Date(end.getTime() - count * seconds * 1000);
    const candles = await this.rest.getCandles(symbol, { start, end, granularity: name, limit: count });
    return candles.map(toCandle).sort((a, b) => a.ts.getTime() - b.ts.getTime());
  }

  /** Spot/cash accounts. Futures margin lives in `rest.getCfmBalanceSummary()` / `getIntxPortfolioSummary()`. */
  async listBalances(): Promise<Balance[]> {
    return (await this.rest.listAccounts()).map(toBalance);
  }

  /** US futures positions (unless `derivatives.cfm` is false), plus INTX when a portfolio uuid is set. */
  async listPositions(): Promise<Position[]> {
    const out: Position[] = [];
    if (this.#o.cfm) {
      for (const p of await this.rest.listCfmPositions()) {
        const position = fromCfmPosition(p);
        if (position) out.push(position);
        else if (!p.number_of_contracts.isZero()) {
          this.#o.logger.warn(
            `Coinbase CFM position ${p.product_id} has side ${JSON.stringify(p.side)}, neither LONG nor SHORT; not counted`,
            {
              symbol: p.product_id,
              side: p.side,
            },
          );
        }
      }
    }
    if (this.#o.intxPortfolioUuid) {
      for (const p of await this.rest.listIntxPositions(this.#o.intxPortfolioUuid)) {
        const position = fromIntxPosition(p);
        if (position) out.push(position);
      }
    }
    return out;
  }

  /**
   * Places an order once per client order id: a repeat (even while the first is in flight) returns the first
   * result without a second POST. Orders placed without an id get a fresh UUID, so the POST can be retried
   * safely after a timeout. A refusal (`success:false`) throws CoinbaseOrderRejectedError and is forgotten, so
   * the caller may try again.
   */
  placeOrder(request: PlaceOrderRequest): Promise<Order> {
    // The INTX code path stays for simulators and recorded data; the live exchange no longer trades them.
    if (this.#o.refuseIntx && isIntxPerpetual(request.symbol))
      return Promise.reject(new CoinbaseIntxRetiredError(request.symbol));
    const clientOrderId = request.clientId ?? this.#o.newClientOrderId();
    const known = this.#placements.get(clientOrderId);
    if (known) return known;
    const placement = this.#place(request, clientOrderId);
    this.#placements.set(clientOrderId, placement);
    placement.catch(() => this.#placements.delete(clientOrderId));
    return placement;
  }

  async #place(request: PlaceOrderRequest, clientOrderId: string): Promise<Order> {
    const body = buildCreateOrderBody(request, clientOrderId, this.#o.marginType);
    if (this.#o.previewOrders) {
      const { warnings } = await previewOrRefuse(this.rest, body, request, clientOrderId);
      if (warnings.length > 0) {
        this.#o.logger.warn(`Coinbase preview warns about ${request.symbol}: ${warnings.join(', ')}`, {
          symbol: request.symbol,
          clientOrderId,
        });
      }
    }
    const response = await this.#send(request.symbol, clientOrderId, () => this.rest.createOrder(body));
    return this.#accepted(request, clientOrderId, response);
  }

  /**
   * CFM's closing call for `quantity` contracts of the position (the exchange sizes nothing itself: the
   * caller passes what it read). Idempotent on the client order id, like placeOrder.
   */
  closePosition(request: ClosePositionRequest): Promise<Order> {
    const known = this.#placements.get(request.clientId);
    if (known) return known;
    const placement = (async () => {
      const body = buildClosePositionBody(request);
      const response = await this.#send(request.symbol, request.clientId, () => this.rest.closePosition(body));
      const side = response.success_response?.side === 'BUY' ? 'BUY' : 'SELL';
      return this.#accepted(
        { symbol: request.symbol, side, type: 'MARKET', quantity: request.quantity, tif: 'IOC', reduceOnly: true },
        request.clientId,
        response,
      );
    })();
    this.#placements.set(request.clientId, placement);
    placement.catch(() => this.#placements.delete(request.clientId));
    return placement;
  }

  /** Sends an order request; a failure after which the exchange may hold the order becomes OrderOutcomeUnknownError. */
  async #send<R>(symbol: string, clientOrderId: string, call: () => Promise<R>): Promise<R> {
    try {
      return await call();
    } catch (error) {
      if (!mayHaveExecuted(error)) throw error;
      throw new OrderOutcomeUnknownError(
        symbol,
        clientOrderId,
        `The order ${clientOrderId} for ${symbol} may or may not be on Coinbase: ${describeError(error)}`,
        {
          cause: error,
        },
      );
    }
  }

  #accepted(
    request: PlaceOrderRequest,
    clientOrderId: string,
    response: CreateOrderResponse & { readonly context: CoinbaseErrorContext },
  ): Order {
    if (!response.success || !response.success_response) {
      const { reason, detail: said } = rejectionReason(response.error_response, response.failure_reason);
      throw new CoinbaseOrderRejectedError(
        `Coinbase rejected the ${request.side} ${request.type} order for ${request.symbol}: ${reason}${said ? ` (${said})` : ''}`,
        { ...response.context, exchangeCode: reason },
        { symbol: request.symbol, clientOrderId, reason },
      );
    }
    const orderId = response.success_response.order_id;
    this.#reduceOnly.set(orderId, request.reduceOnly ?? false);
    this.#o.logger.info(`Coinbase accepted ${request.side} ${request.type} ${request.symbol}`, {
      symbol: request.symbol,
      orderId,
      clientOrderId,
    });
    return submittedOrder(request, orderId, clientOrderId, this.#o.clock.now());
  }

  /** True when Coinbase accepted the cancel; false for an unknown, filled or already-cancelled order. */
  async cancelOrder(orderId: string): Promise<boolean> {
    const results = await this.rest.cancelOrders([orderId]);
    const result = results.find((r) => r.order_id === orderId) ?? results[0];
    if (!result?.success) {
      this.#o.logger.debug(`Coinbase did not cancel ${orderId}: ${result?.failure_reason ?? 'no result'}`, { orderId });
      return false;
    }
    return true;
  }

  async getOrder(orderId: string): Promise<Order | null> {
    try {
      const order = await this.rest.getOrder(orderId);
      return toOrder(order, this.#o.clock.now(), this.#reduceOnly.get(order.order_id) ?? false);
    } catch (error) {
      if (error instanceof CoinbaseNotFoundError) return null;
      throw error;
    }
  }

  /**
   * Lists the product's orders created since a little before the intent and picks the one with this client
   * order id (the documented list has no client-id filter). Null: Coinbase has no such order.
   */
  async getOrderByClientId(clientId: string, where: ClientOrderLookup): Promise<Order | null> {
    const orders = await this.rest.listOrdersSince({
      productIds: [where.symbol],
      startDate: new Date(where.since.getTime() - LOOKUP_SKEW_MS),
    });
    const found = orders.find((o) => o.client_order_id === clientId);
    return found ? toOrder(found, this.#o.clock.now(), this.#reduceOnly.get(found.order_id) ?? false) : null;
  }

  async listOrders(filter: ListOrdersFilter = {}): Promise<Order[]> {
    const orders = await this.rest.listOrders({
      productIds: filter.symbol ? [filter.symbol] : undefined,
      statuses: filter.status ? coinbaseStatusesFor(filter.status) : undefined,
      limit: filter.limit,
    });
    const now = this.#o.clock.now();
    return orders
      .map((o) => toOrder(o, now, this.#reduceOnly.get(o.order_id) ?? false))
      .filter((o) => (filter.status ? o.status === filter.status : true));
  }

  async listFills(symbol?: string, limit?: number): Promise<Fill[]> {
    const fills = await this.rest.listFills({ productIds: symbol ? [symbol] : undefined, limit });
    const now = this.#o.clock.now();
    return fills.map((f) => toFill(f, now));
  }
}
