import {
  Decimal,
  decimalToString,
  type ClosePositionRequest,
  type Order,
  type PlaceOrderRequest,
} from '@perps-bot/core';
import { CoinbaseValidationError } from '../errors.js';

export type MarginType = 'CROSS' | 'ISOLATED';

export interface CreateOrderBody {
  readonly client_order_id: string;
  readonly product_id: string;
  readonly side: 'BUY' | 'SELL';
  readonly order_configuration: Record<string, Record<string, string | boolean>>;
  readonly leverage?: string;
  readonly margin_type?: MarginType;
}

/** POST /orders/close_position: the documented body, nothing else. */
export interface ClosePositionBody {
  readonly client_order_id: string;
  readonly product_id: string;
  readonly size: string;
}

const ORDERS_PATH = '/api/v3/brokerage/orders';

/**
 * PlaceOrderRequest → the POST /orders body. Refuses, before anything is sent, what Coinbase cannot express:
 * a non-positive size, a limit without a price, a stop-market order (Coinbase only has stop-limit).
 */
export function buildCreateOrderBody(
  request: PlaceOrderRequest,
  clientOrderId: string,
  marginType: MarginType | undefined,
): CreateOrderBody {
  const refuse = (why: string) =>
    new CoinbaseValidationError(`Order for ${request.symbol} not sent: ${why}`, { method: 'POST', path: ORDERS_PATH });
  if (!request.quantity.isFinite() || request.quantity.lessThanOrEqualTo(0)) {
    throw refuse(`quantity must be positive (got ${request.quantity.toString()})`);
  }
  const base_size = decimalToString(request.quantity);
  const limitPrice = () => {
    if (!request.price || request.price.lessThanOrEqualTo(0))
      throw refuse(`a ${request.type} order needs a positive price`);
    return decimalToString(request.price);
  };
  const tif = request.tif ?? 'GTC';
  let configuration: Record<string, Record<string, string | boolean>>;
  switch (request.type) {
    case 'MARKET':
      configuration = { market_market_ioc: { base_size } };
      break;
    case 'LIMIT':
      if (tif === 'IOC') configuration = { sor_limit_ioc: { base_size, limit_price: limitPrice() } };
      else if (tif === 'FOK') configuration = { limit_limit_fok: { base_size, limit_price: limitPrice() } };
      else configuration = { limit_limit_gtc: { base_size, limit_price: limitPrice(), post_only: false } };
      break;
    case 'STOP_LIMIT': {
      if (!request.stopPrice || request.stopPrice.lessThanOrEqualTo(0))
        throw refuse('a STOP_LIMIT order needs a positive stop price');
      configuration = {
        stop_limit_stop_limit_gtc: {
          base_size,
          limit_price: limitPrice(),
          stop_price: decimalToString(request.stopPrice),
          // A buy stop triggers when the price rises through it, a sell stop when it falls.
          stop_direction: request.side === 'BUY' ? 'STOP_DIRECTION_STOP_UP' : 'STOP_DIRECTION_STOP_DOWN',
        },
      };
      break;
    }
    case 'STOP':
      throw refuse('Coinbase Advanced Trade has no stop-market orders; use STOP_LIMIT');
  }
  return {
    client_order_id: clientOrderId,
    product_id: request.symbol,
    side: request.side,
    order_configuration: configuration,
    ...(request.leverage !== undefined ? { leverage: String(request.leverage) } : {}),
    ...(marginType !== undefined && request.leverage !== undefined ? { margin_type: marginType } : {}),
    // No reduce_only: the create-order request has no such field, so the exchange would ignore it. The bot
    // keeps orders reduce-only itself (sized from a position read just before sending); the flag stays on
    // the returned Order for the bot's own checks.
  };
}

/** ClosePositionRequest → the POST /orders/close_position body; a non-positive size is refused unsent. */
export function buildClosePositionBody(request: ClosePositionRequest): ClosePositionBody {
  if (!request.quantity.isFinite() || request.quantity.lessThanOrEqualTo(0)) {
    throw new CoinbaseValidationError(
      `Close of ${request.symbol} not sent: size must be positive (got ${request.quantity.toString()})`,
      {
        method: 'POST',
        path: '/api/v3/brokerage/orders/close_position',
      },
    );
  }
  return { client_order_id: request.clientId, product_id: request.symbol, size: decimalToString(request.quantity) };
}

/** The Order the adapter returns right after a successful placement, before the exchange reports fills. */
export function submittedOrder(request: PlaceOrderRequest, orderId: string, clientOrderId: string, now: Date): Order {
  return {
    id: orderId,
    clientId: clientOrderId,
    symbol: request.symbol,
    side: request.side,
    type: request.type,
    quantity: request.quantity,
    price: request.price ?? null,
    stopPrice: request.stopPrice ?? null,
    tif: request.tif ?? (request.type === 'MARKET' ? 'IOC' : 'GTC'),
    status: 'SUBMITTED',
    filledQuantity: new Decimal(0),
    avgFillPrice: null,
    reduceOnly: request.reduceOnly ?? false,
    submittedAt: now,
    updatedAt: now,
  };
}
