import type { Decimal } from './decimal.js';
import type { OrderSide, Position, Product } from './broker-types.js';

/** Why the risk manager refused an order; stable codes for logs, events and tests. */
export type RiskRejectCode =
  | 'KILL_SWITCH'
  | 'REDUCE_ONLY'
  | 'LEVERAGE'
  | 'EXPOSURE'
  | 'POSITION_SIZE'
  | 'LIQUIDATION_BUFFER'
  | 'STALE_MARK'
  | 'DAILY_LOSS'
  | 'SLIPPAGE'
  /** Equity is zero or negative, so no new exposure can be sized against it. */
  | 'INSUFFICIENT_EQUITY'
  | 'INVALID_ORDER';

export type RiskDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly code: RiskRejectCode; readonly reason: string };

/** Everything the pre-trade check needs to judge one order. */
export interface PreTradeRequest {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: Decimal;
  /** The price the order is expected to fill at (the mark for market orders). */
  readonly price: Decimal;
  readonly product: Product;
  /** Account equity in the quote currency. */
  readonly equity: Decimal;
  readonly positions: readonly Position[];
  readonly reduceOnly?: boolean;
  /**
   * Contract size of the products of `positions` (CFM futures are held in contracts: BIP is 0.01 BTC each),
   * so a position's notional is |quantity| × mark × contract size. A symbol not listed counts as 1.
   */
  readonly contractSizes?: Readonly<Record<string, Decimal>>;
}

/** The port the trading cycle uses to ask for a pre-trade decision. */
export interface PreTradeRisk {
  preTradeCheck(request: PreTradeRequest): RiskDecision;
}
