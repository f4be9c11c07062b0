import type { ExecutionOutcome } from '../cycle/order-executor.js';
import type { PlannedOrder } from '../cycle/order-plan.js';
import { describePlannedOrder } from '../cycle/order-plan.js';
import { record, type ExecutionJournal } from './execution-events.js';

/** Nothing was sent: a known outcome, logged and recorded as `order_not_sent`. */
export function notSent(journal: ExecutionJournal, order: PlannedOrder, reason: string): ExecutionOutcome {
  journal.logger.warn(`Order for ${order.symbol} not sent: ${reason}`, {
    symbol: order.symbol,
    clientId: order.clientId,
  });
  record(journal, 'order_not_sent', { ...describePlannedOrder(order), reason });
  return { status: 'skipped', reason };
}
