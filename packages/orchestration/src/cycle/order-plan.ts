import type { Decimal } from '@perps-bot/core';
import { decimalToString, type OrderSide, type Product, type TimeInForce } from '@perps-bot/core';
import type { Decision, PositionState } from './decision.js';

/** The market order a decision turns into, before risk and before the broker. */
export interface PlannedOrder {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: Decimal;
  readonly price: Decimal;
  readonly notional: Decimal;
  readonly reduceOnly: boolean;
  readonly timeInForce: TimeInForce;
  readonly clientId: string;
}

interface PlanInput {
  readonly symbol: string;
  readonly decision: Decision;
  readonly mark: Decimal;
  readonly product: Product;
  readonly position: PositionState | undefined;
  readonly reduceOnlyMode: boolean;
  readonly defaultTimeInForce: TimeInForce;
  readonly clientId: string;
}

type PlanResult = { readonly ok: true; readonly order: PlannedOrder } | { readonly ok: false; readonly reason: string };

/**
 * Sizes a decision as the reference did: quantity = notional / mark (in contracts for futures, whose
 * contract size is not 1), CLOSE takes the whole position; reduce-only = the decision's flag OR reduce-only
 * mode OR CLOSE. The quantity is rounded down to the product's step, so we never send more than intended.
 */
export function planOrder(input: PlanInput): PlanResult {
  const { decision, mark, product, position } = input;
  let side: OrderSide;
  let quantity: Decimal;
  if (decision.action === 'CLOSE') {
    if (!position || position.quantity.isZero()) return { ok: false, reason: 'CLOSE with no open position' };
    side = position.side === 'long' ? 'SELL' : 'BUY';
    quantity = position.quantity.abs();
  } else if (decision.action === 'BUY' || decision.action === 'SELL') {
    if (!decision.targetNotional || decision.targetNotional.lessThanOrEqualTo(0)) {
      return { ok: false, reason: `${decision.action} without a positive target notional` };
    }
    side = decision.action;
    const unitValue = mark.times(product.contractSize.isZero() ? 1 : product.contractSize);
    quantity = decision.targetNotional.div(unitValue);
  } else {
    return { ok: false, reason: 'HOLD places no order' };
  }
  if (product.stepSize.greaterThan(0)) {
    quantity = quantity.div(product.stepSize).floor().times(product.stepSize);
  }
  if (quantity.lessThanOrEqualTo(0) || quantity.lessThan(product.minSize)) {
    return {
      ok: false,
      reason: `quantity ${decimalToString(quantity)} is below the minimum size ${decimalToString(product.minSize)}`,
    };
  }
  const notional = quantity.times(mark).times(product.contractSize.isZero() ? 1 : product.contractSize);
  if (decision.action !== 'CLOSE' && product.minNotional && notional.lessThan(product.minNotional)) {
    return {
      ok: false,
      reason: `notional ${decimalToString(notional)} is below the minimum ${decimalToString(product.minNotional)}`,
    };
  }
  return {
    ok: true,
    order: {
      symbol: input.symbol,
      side,
      quantity,
      price: mark,
      notional,
      reduceOnly: Boolean(decision.reduceOnly) || input.reduceOnlyMode || decision.action === 'CLOSE',
      timeInForce: decision.timeInForce ?? input.defaultTimeInForce,
      clientId: input.clientId,
    },
  };
}

/** The JSON-safe form of a planned order, for events and logs. */
export function describePlannedOrder(order: PlannedOrder): Record<string, unknown> {
  return {
    symbol: order.symbol,
    side: order.side,
    type: 'MARKET',
    quantity: decimalToString(order.quantity),
    price: decimalToString(order.price),
    notional: decimalToString(order.notional),
    reduceOnly: order.reduceOnly,
    timeInForce: order.timeInForce,
    clientId: order.clientId,
  };
}
