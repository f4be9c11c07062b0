export { ExecutionService, type Executor, type ExecutionServiceOptions } from './execution-service.js';
export { readExecutionMode, EXECUTION_FLAG, type ExecutionMode } from './execution-mode.js';
