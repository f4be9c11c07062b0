export { executionKind, legacyExecutionRunner, executionServiceRunner, shadowExecutionRunner } from './kind.js';
export { runExecutionCycle, EXECUTION_CHANNELS } from './run-cycle.js';
export { executionScenarioSchema, parseExecutionScenario, type ExecutionScenario } from './scenario.js';
