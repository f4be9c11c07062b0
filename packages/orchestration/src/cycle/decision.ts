import type { Decimal, Product, TimeInForce } from '@perps-bot/core';

export type DecisionAction = 'BUY' | 'SELL' | 'CLOSE' | 'HOLD';

/** What the strategy wants for one symbol this cycle, and why (the reason is logged and recorded). */
export interface Decision {
  readonly action: DecisionAction;
  readonly reason: string;
  /** For BUY and SELL: the quote-currency notional to open. */
  readonly targetNotional?: Decimal;
  readonly reduceOnly?: boolean;
  readonly timeInForce?: TimeInForce;
}

/** The bot's position in one symbol, as the strategy sees it: size always positive, direction in `side`. */
export interface PositionState {
  readonly quantity: Decimal;
  readonly side: 'long' | 'short';
  readonly entryPrice: Decimal;
}

export interface StrategyInput {
  readonly symbol: string;
  readonly current: Decimal;
  /** Marks before the current one, oldest first. */
  readonly recent: readonly Decimal[];
  readonly position: PositionState | undefined;
  readonly equity: Decimal;
  readonly product: Product;
}

export interface Strategy {
  decide(input: StrategyInput): Decision;
}

export const hold = (reason: string): Decision => ({ action: 'HOLD', reason });
