import type { Exchange } from './exchange.js';

/** One order as the exchange holds it, decimals as strings: what an outside checker compares the bot's books with. */
export interface SimOrderView {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly productId: string;
  readonly side: 'BUY' | 'SELL';
  readonly status: string;
  readonly size: string;
  readonly filledSize: string;
  readonly createdAt: string;
}

export interface SimFillView {
  readonly orderId: string;
  readonly productId: string;
  readonly side: 'BUY' | 'SELL';
  readonly size: string;
  readonly price: string;
  readonly time: string;
  readonly sequence: number;
}

export interface SimLedgerView {
  readonly orders: readonly SimOrderView[];
  /** In the order they happened. */
  readonly fills: readonly SimFillView[];
  /** Signed quantities (contracts for CFM), long > 0; flat positions included. */
  readonly positions: readonly { readonly productId: string; readonly qty: string; readonly contractSize: string }[];
}

/**
 * The simulator's own books, copied out: the ground truth an invariant suite checks the bot against (every
 * order the exchange holds, every fill in sequence, every position).
 */
export function ledgerView(exchange: Exchange): SimLedgerView {
  return {
    orders: [...exchange.orders.values()].map((o) => ({
      orderId: o.orderId,
      clientOrderId: o.request.clientOrderId,
      productId: o.request.product.id,
      side: o.request.side,
      status: o.status,
      size: o.size.toFixed(),
      filledSize: o.filledSize.toFixed(),
      createdAt: o.createdAt.toISOString(),
    })),
    fills: exchange.fills.map((f) => ({
      orderId: f.orderId,
      productId: f.productId,
      side: f.side,
      size: f.size.toFixed(),
      price: f.price.toFixed(),
      time: f.time.toISOString(),
      sequence: f.sequence,
    })),
    positions: [...exchange.ledger.positions.values()].map((p) => ({
      productId: p.product.id,
      qty: p.qty.toFixed(),
      contractSize: p.product.contractSize.toFixed(),
    })),
  };
}
