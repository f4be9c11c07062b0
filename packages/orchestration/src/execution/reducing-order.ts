import { Decimal, describeError, type Brokerage, type Position } from '@perps-bot/core';
import type { PlannedOrder } from '../cycle/order-plan.js';
import { heldIn, type PositionBook } from '../cycle/position-book.js';
import type { OrderOutcomes } from '../cycle/order-outcomes.js';

/** A reducing order, re-sized against a positions read made just before sending, or why it is not sent. */
type ReducingOrder =
  | { readonly send: true; readonly order: PlannedOrder; readonly held: Decimal }
  | { readonly send: false; readonly reason: string };

interface ReducingOrderContext {
  readonly broker: Pick<Brokerage, 'listPositions'>;
  readonly positions: PositionBook;
  readonly outcomes: OrderOutcomes;
}

/**
 * Reduce-only is the bot's own guarantee (the exchange has no such flag): read positions now, refuse when the
 * answer lags our last fill or the order would not reduce, and never send more than is held (CLOSE: all of it).
 */
export async function sizeReducingOrder(
  context: ReducingOrderContext,
  planned: PlannedOrder,
  close: boolean,
): Promise<ReducingOrder> {
  let positions: readonly Position[];
  try {
    positions = await context.broker.listPositions();
  } catch (error) {
    return { send: false, reason: `positions could not be read just before sending (${describeError(error)})` };
  }
  context.positions.observe(positions, (s) => context.outcomes.isBlocked(s));
  if (!context.positions.isSettled(planned.symbol)) {
    return { send: false, reason: `the positions answer does not show our last fill in ${planned.symbol} yet` };
  }
  const held = heldIn(positions, planned.symbol);
  const reduces = planned.side === 'SELL' ? held.greaterThan(0) : held.lessThan(0);
  if (!reduces) return { send: false, reason: `it would not reduce the position (${held.toFixed()} held)` };
  const quantity = close ? held.abs() : Decimal.min(planned.quantity, held.abs());
  return {
    send: true,
    held,
    order: { ...planned, quantity, notional: planned.notional.div(planned.quantity).times(quantity) },
  };
}
