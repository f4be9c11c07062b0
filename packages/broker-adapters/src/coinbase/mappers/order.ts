import { Decimal, type Order, type OrderStatus, type OrderType, type TimeInForce } from '@perps-bot/core';
import type { CoinbaseOrder } from '../schemas/orders.js';

const ZERO = new Decimal(0);

/** Coinbase statuses → the bot's. An OPEN order with fills is PARTIALLY_FILLED. */
function toOrderStatus(status: string, filled: Decimal): OrderStatus {
  switch (status.toUpperCase()) {
    case 'FILLED':
      return 'FILLED';
    case 'CANCELLED':
    case 'EXPIRED':
      return 'CANCELLED';
    case 'FAILED':
      return 'REJECTED';
    case 'OPEN':
    case 'CANCEL_QUEUED':
    case 'EDIT_QUEUED':
      return filled.greaterThan(0) ? 'PARTIALLY_FILLED' : 'SUBMITTED';
    default:
      // PENDING, QUEUED, UNKNOWN_ORDER_STATUS: accepted by the API but not yet working on the book.
      return 'PENDING';
  }
}

/** The Coinbase statuses to ask for when the caller filters on one of ours. */
export function coinbaseStatusesFor(status: OrderStatus): string[] {
  switch (status) {
    case 'PENDING':
      return ['PENDING', 'QUEUED'];
    case 'SUBMITTED':
    case 'PARTIALLY_FILLED':
      return ['OPEN'];
    case 'FILLED':
      return ['FILLED'];
    case 'CANCELLED':
      return ['CANCELLED', 'EXPIRED'];
    case 'REJECTED':
      return ['FAILED'];
  }
}

function orderTypeOf(configurationKey: string, orderType: string): OrderType {
  const key = configurationKey.toLowerCase();
  if (key.startsWith('market')) return 'MARKET';
  if (key.startsWith('stop_limit')) return 'STOP_LIMIT';
  if (key !== '') return 'LIMIT';
  const type = orderType.toUpperCase();
  if (type === 'MARKET') return 'MARKET';
  if (type === 'STOP_LIMIT' || type === 'STOP') return type;
  return 'LIMIT';
}

function timeInForceOf(configurationKey: string, timeInForce: string): TimeInForce {
  const key = configurationKey.toLowerCase();
  const tif = timeInForce.toUpperCase();
  if (key.endsWith('_ioc') || tif === 'IMMEDIATE_OR_CANCEL') return 'IOC';
  if (key.endsWith('_fok') || tif === 'FILL_OR_KILL') return 'FOK';
  return 'GTC';
}

export function toOrder(order: CoinbaseOrder, now: Date, reduceOnly = false): Order {
  const entries = Object.entries(order.order_configuration ?? {});
  const [key = '', config] = entries[0] ?? [];
  const filled = order.filled_size ?? ZERO;
  const avg = order.average_filled_price;
  const submittedAt = order.created_time ?? now;
  return {
    id: order.order_id,
    clientId: order.client_order_id || null,
    symbol: order.product_id,
    side: order.side,
    type: orderTypeOf(key, order.order_type),
    // A market buy sized in quote currency has no base size; what filled is the best known quantity.
    quantity: config?.base_size ?? filled,
    price: config?.limit_price ?? null,
    stopPrice: config?.stop_price ?? null,
    tif: timeInForceOf(key, order.time_in_force),
    status: toOrderStatus(order.status, filled),
    filledQuantity: filled,
    avgFillPrice: avg && avg.greaterThan(0) ? avg : null,
    reduceOnly,
    submittedAt,
    updatedAt: order.last_fill_time ?? submittedAt,
  };
}
