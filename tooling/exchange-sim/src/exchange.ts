import { Decimal } from '@perps-bot/core';
import { Ledger } from './ledger.js';
import type { Market, SimQuote } from './market.js';
import { readOrderRequest, type OrderRequest } from './order-request.js';
import type { ProductCatalog } from './products.js';
import { simUuid } from './random.js';
import { errorBody } from './http/respond.js';

export type OrderStatus = 'OPEN' | 'FILLED' | 'CANCELLED' | 'EXPIRED';

export interface SimOrder {
  readonly orderId: string;
  readonly request: OrderRequest;
  readonly createdAt: Date;
  /** Base size (contracts for CFM); for a quote-sized market order, what the quote size bought. */
  size: Decimal;
  status: OrderStatus;
  triggered: boolean;
  filledSize: Decimal;
  filledValue: Decimal;
  fees: Decimal;
  numberOfFills: number;
  lastFillTime: Date | undefined;
  cancelMessage: string;
}

export interface SimFill {
  readonly entryId: string;
  readonly tradeId: string;
  readonly orderId: string;
  readonly productId: string;
  readonly side: 'BUY' | 'SELL';
  readonly price: Decimal;
  readonly size: Decimal;
  readonly commission: Decimal;
  readonly liquidity: 'MAKER' | 'TAKER';
  readonly time: Date;
  readonly sequence: number;
}

export interface ApiResult {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const TAKER_FEE = new Decimal('0.0006');
const MAKER_FEE = new Decimal('0.0004');
const ZERO = new Decimal(0);
/** Fills of position history kept for lagging answers. */
const POSITION_HISTORY = 1_000;

/** Orders, fills and the ledger behind them. Matching is against the seeded market: no other traders. */
export class Exchange {
  readonly ledger: Ledger;
  readonly orders = new Map<string, SimOrder>();
  readonly fills: SimFill[] = [];
  readonly #accepted = new Map<string, ApiResult>();
  /** Each futures position (signed size) after each fill, newest last: what a lagging positions answer shows. */
  readonly #history: Array<ReadonlyMap<string, Decimal>> = [new Map()];
  /** A snapshot served instead of the live positions while the `stale` fault is on. */
  #frozen: ReadonlyMap<string, Decimal> | undefined;
  readonly #seed: number;
  readonly #catalog: ProductCatalog;
  readonly #market: Market;
  readonly #now: () => number;
  #orderSeq = 0;

  constructor(options: {
    seed: number;
    catalog: ProductCatalog;
    market: Market;
    now: () => number;
    balances?: Readonly<Record<string, string>>;
  }) {
    this.#seed = options.seed;
    this.#catalog = options.catalog;
    this.#market = options.market;
    this.#now = options.now;
    this.ledger = new Ledger(options.balances);
    this.#market.onStep((ids) => this.#onStep(ids));
  }

  /** The mark of a product: the last price of its path. */
  mark(productId: string): Decimal {
    return this.#market.quote(productId)?.price ?? ZERO;
  }

  /**
   * POST /orders. A client_order_id seen before returns the first answer unchanged and places nothing (the
   * adapter's retry after a lost response relies on it); rejects are `success:false` bodies with status 200.
   */
  createOrder(body: unknown): ApiResult {
    const clientId = (body as { client_order_id?: unknown } | null)?.client_order_id;
    if (typeof clientId === 'string') {
      const previous = this.#accepted.get(clientId);
      if (previous) return previous;
    }
    const parsed = readOrderRequest(body, this.#catalog);
    if ('badRequest' in parsed) return { status: 400, body: errorBody('INVALID_ARGUMENT', parsed.badRequest) };
    if ('reject' in parsed) return rejectResult(parsed.reject, parsed.message);
    const request = parsed;
    const quote = this.#market.quote(request.product.id) as SimQuote;
    const marks = (id: string) => this.mark(id);

    let size = request.baseSize;
    if (size === undefined) {
      const price = request.side === 'BUY' ? quote.ask : quote.bid;
      size = (request.quoteSize as Decimal).div(price).toNearest(request.product.baseIncrement, Decimal.ROUND_DOWN);
      if (size.lessThan(request.product.baseMinSize))
        return rejectResult('INVALID_SIZE_PRECISION', 'quote_size buys less than the minimum size');
    }
    if (
      request.kind === 'LIMIT' &&
      request.postOnly &&
      this.#marketable(request, request.limitPrice as Decimal, quote)
    ) {
      return rejectResult('INVALID_LIMIT_PRICE_POST_ONLY', 'post-only limit price would take liquidity');
    }
    const checkPrice =
      request.kind === 'MARKET' ? (request.side === 'BUY' ? quote.ask : quote.bid) : (request.limitPrice as Decimal);
    if (
      !this.ledger.canAfford(
        request.product,
        request.side,
        size,
        checkPrice,
        this.#fee(request, size, checkPrice, TAKER_FEE),
        request.leverage,
        marks,
      )
    ) {
      return rejectResult('INSUFFICIENT_FUND', 'Insufficient balance in source account');
    }

    const order: SimOrder = {
      orderId: simUuid(this.#seed, 'order', ++this.#orderSeq),
      request,
      createdAt: new Date(this.#now()),
      size,
      status: 'OPEN',
      triggered: request.kind !== 'STOP_LIMIT',
      filledSize: ZERO,
      filledValue: ZERO,
      fees: ZERO,
      numberOfFills: 0,
      lastFillTime: undefined,
      cancelMessage: '',
    };
    this.orders.set(order.orderId, order);
    this.#execute(order, quote, true);
    const result: ApiResult = {
      status: 200,
      body: {
        success: true,
        failure_reason: 'UNKNOWN_FAILURE_REASON',
        order_id: order.orderId,
        success_response: {
          order_id: order.orderId,
          product_id: request.product.id,
          side: request.side,
          client_order_id: request.clientOrderId,
        },
        order_configuration: request.configuration,
      },
    };
    this.#accepted.set(request.clientOrderId, result);
    return result;
  }

  /**
   * POST /orders/close_position: a market order against the open futures position for `size` contracts
   * (never more than it holds). Idempotent on client_order_id like POST /orders.
   */
  closePosition(body: unknown): ApiResult {
    const b = (body ?? {}) as Record<string, unknown>;
    if (typeof b.client_order_id !== 'string' || b.client_order_id === '')
      return { status: 400, body: errorBody('INVALID_ARGUMENT', 'client_order_id is required') };
    const previous = this.#accepted.get(b.client_order_id);
    if (previous) return previous;
    if (typeof b.product_id !== 'string')
      return { status: 400, body: errorBody('INVALID_ARGUMENT', 'product_id is required') };
    const product = this.#catalog.get(b.product_id);
    if (!product || product.kind === 'spot')
      return rejectResult('INVALID_PRODUCT_ID', `no futures product ${String(b.product_id)}`);
    const held = this.ledger.positions.get(product.id)?.qty ?? ZERO;
    if (held.isZero()) return rejectResult('INVALID_REQUEST', `no open position in ${product.id}`);
    let size = held.abs();
    if (b.size !== undefined) {
      const asked = typeof b.size === 'string' ? new Decimal(b.size) : undefined;
      if (!asked || !asked.isFinite() || asked.lessThanOrEqualTo(0))
        return { status: 400, body: errorBody('INVALID_ARGUMENT', 'size must be a positive decimal string') };
      if (asked.greaterThan(held.abs()))
        return rejectResult(
          'INVALID_REQUEST',
          `size ${asked.toFixed()} is more than the position ${held.abs().toFixed()}`,
        );
      size = asked;
    }
    return this.createOrder({
      client_order_id: b.client_order_id,
      product_id: product.id,
      side: held.isPositive() ? 'SELL' : 'BUY',
      order_configuration: { market_market_ioc: { base_size: size.toFixed() } },
    });
  }

  /**
   * The futures positions a positions answer shows: live, the snapshot taken when `stale` was switched on,
   * or the book as it was `lagFills` fills ago.
   */
  positionSizes(fault: { stale?: boolean; lagFills?: number } | undefined): ReadonlyMap<string, Decimal> {
    if (fault?.stale) return (this.#frozen ??= this.liveSizes());
    this.#frozen = undefined;
    const lag = Math.max(0, Math.floor(fault?.lagFills ?? 0));
    if (lag === 0) return this.liveSizes();
    return this.#history[Math.max(0, this.#history.length - 1 - lag)] ?? new Map();
  }

  /** The ledger's futures positions now (what no fault touches). */
  liveSizes(): Map<string, Decimal> {
    const sizes = new Map<string, Decimal>();
    for (const [id, p] of this.ledger.positions) if (!p.qty.isZero()) sizes.set(id, p.qty);
    return sizes;
  }

  /** POST /orders/batch_cancel: one result per id, not atomic. */
  cancelOrders(body: unknown): ApiResult {
    const ids = (body as { order_ids?: unknown } | null)?.order_ids;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
      return { status: 400, body: errorBody('INVALID_ARGUMENT', 'order_ids must be an array of strings') };
    }
    const results = (ids as string[]).map((orderId) => {
      const order = this.orders.get(orderId);
      const fail = (reason: string) => ({ success: false, failure_reason: reason, order_id: orderId });
      if (!order) return fail('UNKNOWN_CANCEL_ORDER');
      if (order.status === 'FILLED') return fail('ORDER_IS_FULLY_FILLED');
      if (order.status !== 'OPEN') return fail('DUPLICATE_CANCEL_REQUEST');
      order.status = 'CANCELLED';
      order.cancelMessage = 'User requested cancel';
      return { success: true, failure_reason: 'UNKNOWN_CANCEL_FAILURE_REASON', order_id: orderId };
    });
    return { status: 200, body: { results } };
  }

  #onStep(ids: readonly string[]): void {
    const stepped = new Set(ids);
    for (const order of this.orders.values()) {
      if (order.status !== 'OPEN' || !stepped.has(order.request.product.id)) continue;
      const quote = this.#market.quote(order.request.product.id);
      if (quote) this.#execute(order, quote, false);
    }
  }

  /** Triggers a stop, then fills a marketable order: at the touch when it takes, at its limit when it rests. */
  #execute(order: SimOrder, quote: SimQuote, placing: boolean): void {
    const { request } = order;
    if (!order.triggered) {
      const up = request.stopDirection === 'STOP_DIRECTION_STOP_UP';
      const stop = request.stopPrice as Decimal;
      if (up ? quote.price.lessThan(stop) : quote.price.greaterThan(stop)) return;
      order.triggered = true;
    }
    const touch = request.side === 'BUY' ? quote.ask : quote.bid;
    if (request.kind === 'MARKET') return this.#fill(order, touch, 'TAKER');
    const limit = request.limitPrice as Decimal;
    if (this.#marketable(request, limit, quote)) {
      return placing ? this.#fill(order, touch, 'TAKER') : this.#fill(order, limit, 'MAKER');
    }
    if (request.tif === 'IMMEDIATE_OR_CANCEL' || request.tif === 'FILL_OR_KILL') {
      order.status = request.tif === 'FILL_OR_KILL' ? 'EXPIRED' : 'CANCELLED';
      order.cancelMessage = 'not marketable';
    }
  }

  #marketable(request: OrderRequest, limit: Decimal, quote: SimQuote): boolean {
    return request.side === 'BUY' ? limit.greaterThanOrEqualTo(quote.ask) : limit.lessThanOrEqualTo(quote.bid);
  }

  #fee(request: OrderRequest, size: Decimal, price: Decimal, rate: Decimal): Decimal {
    return size.mul(price).mul(Ledger.unit(request.product)).mul(rate).toDecimalPlaces(8, Decimal.ROUND_UP);
  }

  #fill(order: SimOrder, price: Decimal, liquidity: 'MAKER' | 'TAKER'): void {
    const { request } = order;
    const size = order.size.minus(order.filledSize);
    const fee = this.#fee(request, size, price, liquidity === 'MAKER' ? MAKER_FEE : TAKER_FEE);
    const marks = (id: string) => this.mark(id);
    if (!this.ledger.canAfford(request.product, request.side, size, price, fee, request.leverage, marks)) {
      order.status = 'CANCELLED';
      order.cancelMessage = 'Insufficient balance at fill time';
      return;
    }
    this.ledger.applyFill(request.product, request.side, size, price, fee, request.leverage, request.marginType);
    const time = new Date(this.#now());
    const sequence = this.fills.length + 1;
    this.fills.push({
      entryId: simUuid(this.#seed, 'fill', sequence),
      tradeId: simUuid(this.#seed, 'trade', sequence),
      orderId: order.orderId,
      productId: request.product.id,
      side: request.side,
      price,
      size,
      commission: fee,
      liquidity,
      time,
      sequence,
    });
    order.filledSize = order.filledSize.plus(size);
    order.filledValue = order.filledValue.plus(size.mul(price).mul(Ledger.unit(request.product)));
    order.fees = order.fees.plus(fee);
    order.numberOfFills += 1;
    order.lastFillTime = time;
    order.status = 'FILLED';
    if (request.product.kind !== 'spot') {
      this.#history.push(this.liveSizes());
      if (this.#history.length > POSITION_HISTORY) this.#history.shift();
    }
  }
}

function rejectResult(reason: string, message: string): ApiResult {
  return {
    status: 200,
    body: {
      success: false,
      failure_reason: 'UNKNOWN_FAILURE_REASON',
      order_id: '',
      error_response: {
        error: reason,
        message,
        error_details: message,
        new_order_failure_reason: reason,
        preview_failure_reason: 'UNKNOWN_PREVIEW_FAILURE_REASON',
      },
    },
  };
}
