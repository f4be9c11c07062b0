import type { Decimal } from './decimal.js';

export type MarketType = 'SPOT' | 'PERPETUAL' | 'FUTURE';
export type OrderSide = 'BUY' | 'SELL';
export type OrderType = 'MARKET' | 'LIMIT' | 'STOP' | 'STOP_LIMIT';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK';
export type OrderStatus = 'PENDING' | 'SUBMITTED' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELLED' | 'REJECTED';
export type PositionSide = 'long' | 'short';

/** Best bid/ask and last trade for one symbol at one instant. */
export interface Quote {
  readonly symbol: string;
  readonly bid: Decimal;
  readonly ask: Decimal;
  readonly last: Decimal;
  readonly ts: Date;
}

export interface Product {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly quoteAsset: string;
  readonly marketType: MarketType;
  readonly minSize: Decimal;
  readonly stepSize: Decimal;
  readonly minNotional: Decimal | null;
  readonly priceIncrement: Decimal;
  readonly leverageMax: number | null;
  /** Contract multiplier for futures (CFM nano BTC = 0.01); 1 for spot and INTX perps. */
  readonly contractSize: Decimal;
  readonly fundingRate?: Decimal | null;
  readonly nextFundingTime?: Date | null;
  readonly expiry?: Date | null;
}

export interface Candle {
  readonly ts: Date;
  readonly open: Decimal;
  readonly high: Decimal;
  readonly low: Decimal;
  readonly close: Decimal;
  readonly volume: Decimal;
}

export interface Balance {
  readonly asset: string;
  readonly total: Decimal;
  readonly available: Decimal;
  readonly hold: Decimal;
}

export interface Position {
  readonly symbol: string;
  /** Signed: positive long, negative short. */
  readonly quantity: Decimal;
  readonly entryPrice: Decimal;
  readonly markPrice: Decimal;
  readonly unrealizedPnl: Decimal;
  readonly realizedPnl: Decimal;
  readonly leverage: number | null;
  readonly side: PositionSide;
}

export interface Order {
  readonly id: string;
  readonly clientId: string | null;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: Decimal;
  readonly price: Decimal | null;
  readonly stopPrice: Decimal | null;
  readonly tif: TimeInForce;
  readonly status: OrderStatus;
  readonly filledQuantity: Decimal;
  readonly avgFillPrice: Decimal | null;
  readonly reduceOnly: boolean;
  readonly submittedAt: Date;
  readonly updatedAt: Date;
}

export interface Fill {
  readonly id: string;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly price: Decimal;
  readonly quantity: Decimal;
  readonly fee: Decimal;
  readonly ts: Date;
}

export interface PlaceOrderRequest {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: Decimal;
  readonly price?: Decimal;
  readonly stopPrice?: Decimal;
  readonly tif?: TimeInForce;
  readonly reduceOnly?: boolean;
  /** Idempotency key: placing twice with the same id must not open two orders. */
  readonly clientId?: string;
  readonly leverage?: number;
}

/** CFM's closing call (`POST /orders/close_position`): closes `quantity` contracts of the open position. */
export interface ClosePositionRequest {
  readonly symbol: string;
  /** Contracts to close; never more than the position the bot read just before. */
  readonly quantity: Decimal;
  readonly clientId: string;
}

/** Where to look for an order known only by its client order id (Coinbase lists orders by product and date). */
export interface ClientOrderLookup {
  readonly symbol: string;
  /** When the intent was recorded: the order, if it exists, was created at or after this. */
  readonly since: Date;
}

/**
 * The bot's own record of an order, written before the request goes out. `pending`: recorded, the request is
 * (or was, if the process died) on its way; `unknown`: sent, outcome not known; `placed`: the exchange has it
 * (`orderId`); `failed`: the exchange does not have it (refused, not sent, or absent when looked up).
 */
export type IntentState = 'pending' | 'unknown' | 'placed' | 'failed';

export interface OrderIntent {
  readonly clientId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: Decimal;
  readonly reduceOnly: boolean;
  readonly state: IntentState;
  readonly orderId: string | null;
  readonly lastError: string | null;
  /** Look-ups made while the outcome was unknown. */
  readonly attempts: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export type IntentUpdate = Partial<Pick<OrderIntent, 'state' | 'orderId' | 'lastError' | 'attempts'>> & {
  readonly updatedAt: Date;
};

export interface ListOrdersFilter {
  readonly symbol?: string;
  readonly status?: OrderStatus;
  readonly limit?: number;
}

/** Statuses an order never leaves: its fills (if any) are all known. */
const FINAL_ORDER_STATUSES: readonly OrderStatus[] = ['FILLED', 'CANCELLED', 'REJECTED'];

export function isFinalOrderStatus(status: OrderStatus): boolean {
  return FINAL_ORDER_STATUSES.includes(status);
}
