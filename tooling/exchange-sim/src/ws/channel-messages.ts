import type { SimOrder } from '../exchange.js';
import type { Market, SimQuote } from '../market.js';
import type { ProductDef } from '../products.js';
import { tickerJson } from './messages.js';

/** `ticker_batch`: the ticker without best bid/ask, as the docs' AsyncAPI spec lists it. */
export function batchTickerJson(market: Market, q: SimQuote): Record<string, unknown> {
  const {
    best_bid: _bid,
    best_bid_quantity: _bidSize,
    best_ask: _ask,
    best_ask_quantity: _askSize,
    ...rest
  } = tickerJson(market, q);
  return rest;
}

/** Coinbase's WebSocket candles are 5-minute buckets (docs wording; unconfirmed offline). */
const CANDLE_SECONDS = 300;

/** The current bucket of `candles` (SDK `WSCandle`); the simulator builds it from the last price only. */
export function candleJson(q: SimQuote): Record<string, unknown> {
  const start = Math.floor(q.time.getTime() / 1000 / CANDLE_SECONDS) * CANDLE_SECONDS;
  const price = q.price.toFixed();
  return {
    start: String(start),
    high: price,
    low: price,
    open: price,
    close: price,
    volume: '0',
    product_id: q.productId,
  };
}

/** A `status` product (SDK `WSProduct`). */
export function statusProductJson(p: ProductDef): Record<string, unknown> {
  return {
    product_type: p.kind === 'spot' ? 'SPOT' : 'FUTURE',
    id: p.id,
    base_currency: p.base,
    quote_currency: p.quote,
    base_increment: p.baseIncrement.toFixed(),
    quote_increment: p.kind === 'cfm' ? '0.01' : p.quoteIncrement.toFixed(),
    display_name: p.id,
    status: 'online',
    status_message: '',
    min_market_funds: '1',
  };
}

const USER_ORDER_TYPE: Record<string, string> = { MARKET: 'Market', LIMIT: 'Limit', STOP_LIMIT: 'Stop_Limit' };

/** A `user` channel order (SDK `UserOrders`): the WS shape differs from REST (`order_side`, `Limit`, `leaves_quantity`…). */
export function userOrderJson(o: SimOrder): Record<string, unknown> {
  const r = o.request;
  const avg = o.filledSize.isZero() ? '0' : o.filledValue.div(o.filledSize).toFixed();
  return {
    avg_price: avg,
    cancel_reason: o.cancelMessage,
    client_order_id: r.clientOrderId,
    completion_percentage: o.filledSize.div(o.size).mul(100).toDecimalPlaces(2).toFixed(),
    contract_expiry_type:
      r.product.kind === 'cfm' ? 'EXPIRING' : r.product.kind === 'intx' ? 'PERPETUAL' : 'UNKNOWN_CONTRACT_EXPIRY_TYPE',
    cumulative_quantity: o.filledSize.toFixed(),
    filled_value: o.filledValue.toFixed(),
    leaves_quantity: o.status === 'OPEN' ? o.size.minus(o.filledSize).toFixed() : '0',
    limit_price: r.limitPrice?.toFixed() ?? '0',
    number_of_fills: String(o.numberOfFills),
    order_id: o.orderId,
    order_side: r.side,
    order_type: USER_ORDER_TYPE[r.kind] ?? r.kind,
    outstanding_hold_amount: '0',
    post_only: String(r.postOnly),
    product_id: r.product.id,
    product_type: r.product.kind === 'spot' ? 'SPOT' : 'FUTURE',
    reject_reason: '',
    retail_portfolio_id: '',
    risk_managed_by: r.product.kind === 'cfm' ? 'MANAGED_BY_FCM' : 'UNKNOWN_RISK_MANAGEMENT_TYPE',
    status: o.status,
    stop_price: r.stopPrice?.toFixed() ?? '0',
    time_in_force: r.tif,
    total_fees: o.fees.toFixed(),
    total_value_after_fees: o.filledValue.plus(o.fees).toFixed(),
    trigger_status: 'INVALID_ORDER_TYPE',
    creation_time: o.createdAt.toISOString(),
    end_time: '0001-01-01T00:00:00Z',
    start_time: '0001-01-01T00:00:00Z',
  };
}

/** `fcm_balance_summary` from the REST balance summary: the same fields, amounts as plain strings (SDK `WSFCMBalanceSummary`). */
export function fcmBalanceSummaryJson(rest: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) {
    out[key] =
      value !== null && typeof value === 'object' && 'value' in value
        ? String((value as { value: unknown }).value)
        : value;
  }
  return out;
}
