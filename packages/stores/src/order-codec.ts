import { Decimal, decimalToString, type Order } from '@perps-bot/core';

/** An order as stored: every decimal as its exact string, every time as ISO-8601 UTC. */
export interface OrderRow {
  id: string;
  client_id: string | null;
  symbol: string;
  side: string;
  type: string;
  quantity: string;
  price: string | null;
  stop_price: string | null;
  tif: string;
  status: string;
  filled_quantity: string;
  avg_fill_price: string | null;
  reduce_only: number;
  submitted_at: string;
  updated_at: string;
}

const optional = (value: Decimal | null): string | null => (value === null ? null : decimalToString(value));
const optionalDecimal = (value: string | null): Decimal | null => (value === null ? null : new Decimal(value));

export function orderToRow(order: Order): OrderRow {
  return {
    id: order.id,
    client_id: order.clientId,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    quantity: decimalToString(order.quantity),
    price: optional(order.price),
    stop_price: optional(order.stopPrice),
    tif: order.tif,
    status: order.status,
    filled_quantity: decimalToString(order.filledQuantity),
    avg_fill_price: optional(order.avgFillPrice),
    reduce_only: order.reduceOnly ? 1 : 0,
    submitted_at: order.submittedAt.toISOString(),
    updated_at: order.updatedAt.toISOString(),
  };
}

export function rowToOrder(row: OrderRow): Order {
  return {
    id: row.id,
    clientId: row.client_id,
    symbol: row.symbol,
    side: row.side as Order['side'],
    type: row.type as Order['type'],
    quantity: new Decimal(row.quantity),
    price: optionalDecimal(row.price),
    stopPrice: optionalDecimal(row.stop_price),
    tif: row.tif as Order['tif'],
    status: row.status as Order['status'],
    filledQuantity: new Decimal(row.filled_quantity),
    avgFillPrice: optionalDecimal(row.avg_fill_price),
    reduceOnly: row.reduce_only === 1,
    submittedAt: new Date(row.submitted_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** Newest first; ties broken by id so both stores list in the same order. */
export function compareNewestFirst(a: OrderRow, b: OrderRow): number {
  if (a.submitted_at !== b.submitted_at) return a.submitted_at < b.submitted_at ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}
