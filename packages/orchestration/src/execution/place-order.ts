import { describeError, type Brokerage, type Clock, type Decimal, type Order, type OrderIntent } from '@perps-bot/core';
import type { ExecutionOutcome } from '../cycle/order-executor.js';
import { outcomeUnknown, type OrderOutcomes } from '../cycle/order-outcomes.js';
import type { PlannedOrder } from '../cycle/order-plan.js';
import { describePlannedOrder } from '../cycle/order-plan.js';
import type { OrderCounters } from '../cycle/order-stats.js';
import { record, type ExecutionJournal } from './execution-events.js';
import { notSent } from './not-sent.js';

export interface PlacementContext extends ExecutionJournal {
  readonly broker: Pick<Brokerage, 'placeOrder' | 'getOrder' | 'closePosition'>;
  readonly outcomes: OrderOutcomes;
  readonly stats: OrderCounters;
  readonly clock: Clock;
}

/** The durable intent written before the request is sent (Know or halt: no order we could not have recorded). */
function intentFor(order: PlannedOrder, now: Date): OrderIntent {
  return {
    clientId: order.clientId,
    symbol: order.symbol,
    side: order.side,
    quantity: order.quantity,
    reduceOnly: order.reduceOnly,
    state: 'pending',
    orderId: null,
    lastError: null,
    attempts: 0,
    createdAt: now,
    updatedAt: now,
  };
}

function submit(context: PlacementContext, order: PlannedOrder, useClose: boolean): Promise<Order> {
  const broker = context.broker;
  if (useClose && broker.closePosition)
    return broker.closePosition({ symbol: order.symbol, quantity: order.quantity, clientId: order.clientId });
  return broker.placeOrder({
    symbol: order.symbol,
    side: order.side,
    type: 'MARKET',
    quantity: order.quantity,
    tif: order.timeInForce,
    reduceOnly: order.reduceOnly,
    clientId: order.clientId,
  });
}

/**
 * Intent → request → read-back → stored. An answer that does not settle the order (a thrown untyped error,
 * OrderOutcomeUnknownError, a store that fails after the send) leaves it `unknown`, to be looked up.
 */
export async function placeOrder(
  context: PlacementContext,
  order: PlannedOrder,
  before: Decimal,
  useClose: boolean,
): Promise<ExecutionOutcome> {
  const intent = intentFor(order, context.clock.now());
  try {
    context.outcomes.begin(intent, before);
  } catch (error) {
    return notSent(context, order, `its intent could not be recorded (${describeError(error)})`);
  }
  context.stats.attempted += 1;
  let submitted: Order;
  try {
    submitted = await submit(context, order, useClose);
  } catch (error) {
    const message = describeError(error);
    if (!outcomeUnknown(error)) return failed(context, order, intent, message);
    context.outcomes.unknown(intent, message);
    return { status: 'unknown', order, error: message };
  }
  // The submit answer may predate the fill; a failed read-back must not turn an accepted order into a failed one.
  const placed = (await readBack(context, submitted)) ?? submitted;
  if (placed.status === 'REJECTED') return failed(context, order, intent, `the exchange rejected order ${placed.id}`);
  if (!context.outcomes.placed(intent, placed)) {
    const message = `order ${placed.id} could not be stored`;
    context.outcomes.unknown(intent, message);
    return { status: 'unknown', order, error: message };
  }
  context.stats.successful += 1;
  context.logger.info(
    `Placed ${order.side} ${order.quantity.toFixed()} ${order.symbol}: order ${placed.id} ${placed.status}`,
    {
      symbol: order.symbol,
      orderId: placed.id,
      clientId: order.clientId,
    },
  );
  record(context, 'order_placed', {
    ...describePlannedOrder(order),
    orderId: placed.id,
    status: placed.status,
    ...(useClose ? { via: 'close_position' } : {}),
  });
  return { status: 'placed', order, placed };
}

function failed(
  context: PlacementContext,
  order: PlannedOrder,
  intent: OrderIntent,
  message: string,
): ExecutionOutcome {
  context.stats.failed += 1;
  context.outcomes.failed(intent, message);
  context.logger.error(`Order for ${order.symbol} failed: ${message}`, {
    symbol: order.symbol,
    clientId: order.clientId,
  });
  record(context, 'order_failed', { ...describePlannedOrder(order), error: message });
  return { status: 'failed', order, error: message };
}

async function readBack(context: PlacementContext, submitted: Order): Promise<Order | null> {
  try {
    return await context.broker.getOrder(submitted.id);
  } catch (error) {
    context.logger.warn(
      `Order ${submitted.id} for ${submitted.symbol} was accepted but could not be read back: ${describeError(error)}`,
      {
        symbol: submitted.symbol,
        orderId: submitted.id,
      },
    );
    return null;
  }
}
