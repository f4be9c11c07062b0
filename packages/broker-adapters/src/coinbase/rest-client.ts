import type { z } from 'zod';
import { CoinbaseMalformedResponseError, type CoinbaseErrorContext } from './errors.js';
import { parseResponse } from './schemas/parse.js';
import { accountsResponseSchema, type CoinbaseAccount } from './schemas/accounts.js';
import {
  bestBidAskResponseSchema,
  candlesResponseSchema,
  serverTimeSchema,
  tickerResponseSchema,
} from './schemas/market.js';
import {
  cancelOrdersResponseSchema,
  createOrderResponseSchema,
  getOrderResponseSchema,
  listFillsResponseSchema,
  listOrdersResponseSchema,
  type CoinbaseOrder,
} from './schemas/orders.js';
import {
  cfmBalanceSummarySchema,
  cfmPositionsResponseSchema,
  intxPortfolioSummarySchema,
  intxPositionsResponseSchema,
} from './schemas/positions.js';
import { previewOrderResponseSchema } from './schemas/preview.js';
import { productPricesResponseSchema } from './schemas/product-prices.js';
import { productSchema, productsResponseSchema } from './schemas/products.js';
import type { ClosePositionBody, CreateOrderBody } from './mappers/order-request.js';
import type { CoinbaseHttpClient, HttpRequest, HttpResponse } from './transport/http-client.js';

/** Coinbase caps a page of accounts at 250. */
const ACCOUNTS_PAGE = 250;
/** Orders per page when listing by date. */
const ORDERS_PAGE = 100;
/** A safety stop for cursor paging: a server that always says has_next must not loop the bot forever. */
const MAX_PAGES = 50;

export type CandleGranularity =
  'ONE_MINUTE' | 'FIVE_MINUTE' | 'FIFTEEN_MINUTE' | 'THIRTY_MINUTE' | 'ONE_HOUR' | 'TWO_HOUR' | 'SIX_HOUR' | 'ONE_DAY';

/**
 * One typed, validated method per Advanced Trade endpoint. Answers come back as the parsed exchange shapes
 * (decimals already Decimal); the adapter maps them to the bot's types. Without credentials, the market-data
 * calls go to the public `/market/*` twins.
 */
export class CoinbaseRestClient {
  readonly #http: CoinbaseHttpClient;

  constructor(http: CoinbaseHttpClient) {
    this.#http = http;
  }

  get authenticated(): boolean {
    return this.#http.authenticated;
  }

  getServerTime(signal?: AbortSignal) {
    return this.#call(serverTimeSchema, {
      method: 'GET',
      path: '/time',
      endpoint: 'GET /time',
      access: 'public',
      signal,
    });
  }

  async listProducts(filter: { productType?: 'SPOT' | 'FUTURE'; productIds?: readonly string[] } = {}) {
    const body = await this.#call(productsResponseSchema, {
      ...this.#marketData('/products', 'GET /products'),
      query: { product_type: filter.productType, product_ids: filter.productIds },
    });
    return body.products;
  }

  /** Each listed product's last trade price (`GET /products?product_ids=…`, public twin without a key). */
  async listProductPrices(productIds: readonly string[]) {
    const body = await this.#call(productPricesResponseSchema, {
      ...this.#marketData('/products', 'GET /products'),
      query: { product_ids: productIds },
    });
    return body.products;
  }

  getProduct(productId: string) {
    return this.#call(productSchema, this.#marketData(`/products/${enc(productId)}`, 'GET /products/{product_id}'));
  }

  /** Best bid and ask for many products in one request (`?product_ids=A&product_ids=B`). Private only. */
  async getBestBidAsk(productIds: readonly string[]) {
    const body = await this.#call(bestBidAskResponseSchema, {
      method: 'GET',
      path: '/best_bid_ask',
      endpoint: 'GET /best_bid_ask',
      access: 'private',
      query: { product_ids: productIds },
    });
    return body.pricebooks;
  }

  getTicker(productId: string, limit = 1) {
    return this.#call(tickerResponseSchema, {
      ...this.#marketData(`/products/${enc(productId)}/ticker`, 'GET /products/{product_id}/ticker'),
      query: { limit },
    });
  }

  async getCandles(
    productId: string,
    params: { start: Date; end: Date; granularity: CandleGranularity; limit?: number },
  ) {
    const body = await this.#call(candlesResponseSchema, {
      ...this.#marketData(`/products/${enc(productId)}/candles`, 'GET /products/{product_id}/candles'),
      query: {
        start: String(Math.floor(params.start.getTime() / 1000)),
        end: String(Math.floor(params.end.getTime() / 1000)),
        granularity: params.granularity,
        limit: params.limit,
      },
    });
    return body.candles;
  }

  /** One small signed request, to prove the key works (connect / validateConnection). */
  async checkCredentials(signal?: AbortSignal): Promise<void> {
    await this.#call(accountsResponseSchema, {
      method: 'GET',
      path: '/accounts',
      endpoint: 'GET /accounts',
      access: 'private',
      query: { limit: 1 },
      signal,
    });
  }

  /** Every account, following the cursor. */
  async listAccounts(): Promise<CoinbaseAccount[]> {
    const out: CoinbaseAccount[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = await this.#call(accountsResponseSchema, {
        method: 'GET',
        path: '/accounts',
        endpoint: 'GET /accounts',
        access: 'private',
        query: { limit: ACCOUNTS_PAGE, cursor },
      });
      out.push(...body.accounts);
      if (!body.has_next || body.cursor === '' || body.cursor === cursor) break;
      cursor = body.cursor;
    }
    return out;
  }

  async getCfmBalanceSummary() {
    const body = await this.#private(cfmBalanceSummarySchema, '/cfm/balance_summary', 'GET /cfm/balance_summary');
    return body.balance_summary;
  }

  async listCfmPositions() {
    return (await this.#private(cfmPositionsResponseSchema, '/cfm/positions', 'GET /cfm/positions')).positions;
  }

  async listIntxPositions(portfolioUuid: string) {
    const path = `/intx/positions/${enc(portfolioUuid)}`;
    return (await this.#private(intxPositionsResponseSchema, path, 'GET /intx/positions/{portfolio_uuid}')).positions;
  }

  async getIntxPortfolioSummary(portfolioUuid: string) {
    const path = `/intx/portfolio/${enc(portfolioUuid)}`;
    return (await this.#private(intxPortfolioSummarySchema, path, 'GET /intx/portfolio/{portfolio_uuid}')).summary;
  }

  /**
   * POST /orders. Retried on transient failures because the body always carries a client_order_id, which
   * Coinbase uses to recognise a repeat of the same order.
   */
  async createOrder(body: CreateOrderBody) {
    const response = await this.#http.request({
      method: 'POST',
      path: '/orders',
      endpoint: 'POST /orders',
      access: 'private',
      body,
      idempotent: body.client_order_id !== '',
    });
    const parsed = this.#parse(createOrderResponseSchema, response, 'POST', 'POST /orders');
    return { ...parsed, context: contextOf('POST', response) };
  }

  /** POST /orders/preview: what the exchange would say to this order, without placing it. Safe to retry. */
  async previewOrder(body: Record<string, unknown>) {
    const response = await this.#http.request({
      method: 'POST',
      path: '/orders/preview',
      endpoint: 'POST /orders/preview',
      access: 'private',
      body,
      idempotent: true,
    });
    const parsed = this.#parse(previewOrderResponseSchema, response, 'POST', 'POST /orders/preview');
    return { ...parsed, context: contextOf('POST', response) };
  }

  /**
   * POST /orders/close_position (CFM futures). Retried like a create: the client_order_id makes a repeat
   * recognisable. The answer has the create-order shape.
   */
  async closePosition(body: ClosePositionBody) {
    const response = await this.#http.request({
      method: 'POST',
      path: '/orders/close_position',
      endpoint: 'POST /orders/close_position',
      access: 'private',
      body,
      idempotent: body.client_order_id !== '',
    });
    const parsed = this.#parse(createOrderResponseSchema, response, 'POST', 'POST /orders/close_position');
    return { ...parsed, context: contextOf('POST', response) };
  }

  /**
   * Every order of the products created since `startDate`, following the cursor (at most MAX_PAGES pages):
   * how an order known only by its client order id is found (the list has no client-id filter).
   */
  async listOrdersSince(filter: { productIds: readonly string[]; startDate: Date }) {
    const out: CoinbaseOrder[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = await this.#call(listOrdersResponseSchema, {
        method: 'GET',
        path: '/orders/historical/batch',
        endpoint: 'GET /orders/historical/batch',
        access: 'private',
        query: {
          product_ids: filter.productIds,
          start_date: filter.startDate.toISOString(),
          limit: ORDERS_PAGE,
          cursor,
        },
      });
      out.push(...body.orders);
      if (!body.has_next || body.cursor === '' || body.cursor === cursor) break;
      cursor = body.cursor;
    }
    return out;
  }

  /** POST /orders/batch_cancel. Not retried: the API gives no idempotency key for cancels. */
  async cancelOrders(orderIds: readonly string[]) {
    const body = await this.#call(cancelOrdersResponseSchema, {
      method: 'POST',
      path: '/orders/batch_cancel',
      endpoint: 'POST /orders/batch_cancel',
      access: 'private',
      body: { order_ids: orderIds },
    });
    return body.results;
  }

  async getOrder(orderId: string) {
    const path = `/orders/historical/${enc(orderId)}`;
    return (await this.#private(getOrderResponseSchema, path, 'GET /orders/historical/{order_id}')).order;
  }

  /**
   * Orders, following `has_next`/`cursor` until `limit` orders (if given) or the last page, at most MAX_PAGES
   * requests. `limit` is sent as the page size, as the SDKs do.
   */
  async listOrders(
    filter: {
      productIds?: readonly string[] | undefined;
      statuses?: readonly string[] | undefined;
      limit?: number | undefined;
    } = {},
  ) {
    return this.#pages(
      listOrdersResponseSchema,
      (body) => body.orders,
      filter.limit,
      (cursor) => ({
        method: 'GET',
        path: '/orders/historical/batch',
        endpoint: 'GET /orders/historical/batch',
        access: 'private',
        query: { product_ids: filter.productIds, order_status: filter.statuses, limit: filter.limit, cursor },
      }),
    );
  }

  /**
   * Fills, following the cursor like listOrders. The fills answer documents `cursor` but not `has_next`
   * (SDK `ListFillsResponse`); a non-empty new cursor is read as "more" — unconfirmed offline whether the live
   * API also sends `has_next` here, so both are honoured.
   */
  async listFills(
    filter: {
      productIds?: readonly string[] | undefined;
      orderIds?: readonly string[] | undefined;
      limit?: number | undefined;
    } = {},
  ) {
    return this.#pages(
      listFillsResponseSchema,
      (body) => body.fills,
      filter.limit,
      (cursor) => ({
        method: 'GET',
        path: '/orders/historical/fills',
        endpoint: 'GET /orders/historical/fills',
        access: 'private',
        query: { product_ids: filter.productIds, order_ids: filter.orderIds, limit: filter.limit, cursor },
      }),
    );
  }

  /** Cursor paging, bounded by MAX_PAGES and by `limit` items; a cursor that repeats ends it (no loop). */
  async #pages<S extends z.ZodType<{ has_next?: boolean | undefined; cursor: string }, z.ZodTypeDef, unknown>, T>(
    schema: S,
    items: (body: z.output<S>) => readonly T[],
    limit: number | undefined,
    request: (cursor: string | undefined) => HttpRequest,
  ): Promise<T[]> {
    const out: T[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const body = await this.#call(schema, request(cursor));
      out.push(...items(body));
      if (limit !== undefined && out.length >= limit) return out.slice(0, limit);
      if (body.has_next === false || body.cursor === '' || body.cursor === cursor) break;
      cursor = body.cursor;
    }
    return out;
  }

  #private<S extends z.ZodTypeAny>(schema: S, path: string, endpoint: string): Promise<z.output<S>> {
    return this.#call(schema, { method: 'GET', path, endpoint, access: 'private' });
  }

  /** Market data: the private endpoint when signed in (higher limits), else its public `/market` twin. */
  #marketData(path: string, endpoint: string): HttpRequest {
    return this.#http.authenticated
      ? { method: 'GET', path, endpoint, access: 'private' }
      : {
          method: 'GET',
          path: `/market${path}`,
          endpoint: endpoint.replace('GET /', 'GET /market/'),
          access: 'public',
        };
  }

  async #call<S extends z.ZodTypeAny>(schema: S, request: HttpRequest): Promise<z.output<S>> {
    const response = await this.#http.request(request);
    return this.#parse(schema, response, request.method, request.endpoint);
  }

  /**
   * Validates an answer; one that is JSON but of the wrong shape is reported once here (the transport only sees
   * valid JSON and logs nothing), then thrown as CoinbaseMalformedResponseError for the caller.
   */
  #parse<S extends z.ZodTypeAny>(schema: S, response: HttpResponse, method: string, endpoint: string): z.output<S> {
    try {
      return parseResponse(schema, response.body, endpoint, contextOf(method, response));
    } catch (error) {
      if (error instanceof CoinbaseMalformedResponseError) {
        this.#http.logger.warn(
          `Coinbase ${endpoint} answered a body of unexpected shape: ${error.message}; not retried`,
          {
            endpoint,
            code: error.code,
            status: response.status,
            requestId: response.requestId,
            path: response.path,
            field: error.field,
          },
        );
      }
      throw error;
    }
  }
}

function contextOf(
  method: string,
  response: { path: string; status: number; requestId?: string | undefined; cfRay?: string | undefined },
): CoinbaseErrorContext {
  return { method, path: response.path, status: response.status, requestId: response.requestId, cfRay: response.cfRay };
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
