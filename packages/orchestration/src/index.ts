export { PerpsBot, BOT_ID, type PerpsBotOptions } from './perps-bot.js';
export { DEFAULT_BOT_CONFIG, type BotConfig, type Profile } from './bot-config.js';
export { planModes, type RestMarksMode } from './mode-plan.js';
export { ServiceRegistry } from './service-registry.js';
export { updateMarksLegacy } from './legacy-mark-update.js';
export { startLegacyStream, stopLegacyStream } from './legacy-stream-loop.js';
export { TradingCycle, type CycleHost, type CycleReport, type CycleRisk } from './cycle/trading-cycle.js';
export { SessionGuard, parseTimeOfDay, type TradingSession } from './cycle/session-guard.js';
export { hold, type Decision, type Strategy } from './cycle/decision.js';
export type { ExecutionOutcome } from './cycle/order-executor.js';
export { emptyOrderCounters } from './cycle/order-stats.js';
export type { ExecutionMode } from './execution/execution-mode.js';
export { ExecutionService, type ExecutionServiceOptions } from './execution/execution-service.js';
export {
  ShadowExecution,
  type ExecutionShadowReport,
  type ShadowExecutionOptions,
} from './execution/shadow-execution.js';
export type { ShadowReport } from './shadow/shadow-report.js';
export { Reconciler } from './reconciliation/reconciler.js';
export { MARKS_SHADOW_PERCENT, EXECUTION_SHADOW_PERCENT, candidateRuns } from './experiments/ramp.js';
export { EXPERIMENT_EVENT, type ExperimentRecord } from './experiments/experiment-record.js';
