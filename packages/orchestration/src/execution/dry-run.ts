import type { PlannedOrder } from '../cycle/order-plan.js';
import { describePlannedOrder } from '../cycle/order-plan.js';
import { record, type ExecutionJournal } from './execution-events.js';

/** A dry run places nothing: it logs and records (`dry_run_order`) what it would have placed. Counts nothing. */
export function recordDryRun(journal: ExecutionJournal, order: PlannedOrder, reason: string): void {
  journal.logger.info(
    `DRY RUN: Would execute ${order.side} ${order.quantity.toFixed()} ${order.symbol} MARKET ` +
      `(notional ${order.notional.toFixed()}, ${order.timeInForce}${order.reduceOnly ? ', reduce-only' : ''}): ${reason}`,
    { symbol: order.symbol },
  );
  record(journal, 'dry_run_order', { ...describePlannedOrder(order), reason });
}
