export { executionKind, legacyExecutionRunner, executionServiceRunner } from './kind.js';
export { runExecutionCycle, EXECUTION_CHANNELS } from './run-cycle.js';
export { executionScenarioSchema, parseExecutionScenario, type ExecutionScenario } from './scenario.js';
