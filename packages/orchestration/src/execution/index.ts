export { ExecutionService, type Executor, type ExecutionServiceOptions } from './execution-service.js';
export { readExecutionMode, EXECUTION_FLAG, type ExecutionMode } from './execution-mode.js';
export {
  ShadowExecution,
  type ExecutionShadowReport,
  type ExecutionMismatch,
  type IntendedOrder,
  type ShadowExecutionOptions,
} from './shadow-execution.js';
