import type { PreTradeRisk, RiskDecision } from '@perps-bot/core';
import type { ExecutionRequest } from '../cycle/order-executor.js';
import type { PlannedOrder } from '../cycle/order-plan.js';
import { describePlannedOrder } from '../cycle/order-plan.js';
import { record, type ExecutionJournal } from './execution-events.js';

/** Asks the pre-trade check about a sized order; a refusal is logged and recorded as `risk_rejected`. */
export function checkPreTrade(
  risk: PreTradeRisk,
  journal: ExecutionJournal,
  order: PlannedOrder,
  request: ExecutionRequest,
): RiskDecision {
  const verdict = risk.preTradeCheck({
    symbol: order.symbol,
    side: order.side,
    quantity: order.quantity,
    price: order.price,
    product: request.product,
    equity: request.equity,
    positions: request.positions,
    reduceOnly: order.reduceOnly,
    ...(request.contractSizes ? { contractSizes: request.contractSizes } : {}),
  });
  if (!verdict.allowed) {
    journal.logger.warn(`Risk rejected ${order.side} ${order.quantity.toFixed()} ${order.symbol}: ${verdict.reason}`, {
      symbol: order.symbol,
      code: verdict.code,
    });
    record(journal, 'risk_rejected', { ...describePlannedOrder(order), code: verdict.code, reason: verdict.reason });
  }
  return verdict;
}
