export {
  TradingCycle,
  type CycleHost,
  type CycleReport,
  type CycleRisk,
  type TradingOptions,
} from './trading-cycle.js';
export { SessionGuard, WEEKDAYS, parseTimeOfDay, type TradingSession, type Weekday } from './session-guard.js';
export { BaselineStrategy, type BaselineStrategyConfig } from './baseline-strategy.js';
export {
  hold,
  type Decision,
  type DecisionAction,
  type PositionState,
  type Strategy,
  type StrategyInput,
} from './decision.js';
export {
  OrderExecutor,
  type ExecutionOutcome,
  type ExecutionRequest,
  type OrderExecutorOptions,
} from './order-executor.js';
export { planOrder, describePlannedOrder, type PlannedOrder } from './order-plan.js';
export { emptyOrderCounters, type OrderCounters } from './order-stats.js';
export { DEFAULT_PRODUCT_REFRESH_MS, ProductCache, type ProductCacheOptions } from './product-cache.js';
export { OrderOutcomes, outcomeUnknown, describeIntent, type OrderOutcomesOptions } from './order-outcomes.js';
export { PositionBook, heldIn, type PositionDrift } from './position-book.js';
export { UNKNOWN_STATE_REASON, DEFAULT_UNKNOWN_STATE_CYCLES } from './trading-cycle.js';
