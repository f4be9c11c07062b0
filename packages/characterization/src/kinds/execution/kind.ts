import type { KindDefinition, Runner } from '../kind.js';
import { EXECUTION_CHANNELS, runExecutionCycle } from './run-cycle.js';
import { parseExecutionScenario, type ExecutionScenario } from './scenario.js';

const legacyExecutionRunner: Runner<ExecutionScenario> = {
  name: 'legacy-executor',
  description: 'TradingCycle.run() with the frozen OrderExecutor (USE_NEW_EXECUTION_SERVICE=false): the control',
  run: (scenario) => runExecutionCycle(scenario, 'legacy'),
};

export const executionServiceRunner: Runner<ExecutionScenario> = {
  name: 'execution-service',
  description: 'TradingCycle.run() with the ExecutionService (USE_NEW_EXECUTION_SERVICE=true)',
  run: (scenario) => runExecutionCycle(scenario, 'service'),
};

const shadowExecutionRunner: Runner<ExecutionScenario> = {
  name: 'execution-shadow',
  description:
    'USE_NEW_EXECUTION_SERVICE=shadow: the legacy executor applies, the ExecutionService runs beside it on a paper twin',
  run: (scenario) => runExecutionCycle(scenario, 'shadow'),
};

/** Order execution (Phase 3): the frozen OrderExecutor is the control, the ExecutionService the candidate. */
export const executionKind: KindDefinition<ExecutionScenario> = {
  name: 'execution',
  description:
    'TradingCycle over scripted accounts, products, decisions, order answers and risk: broker calls, events, orders-store writes, logs, final orders and stats',
  channels: EXECUTION_CHANNELS,
  control: legacyExecutionRunner,
  candidates: [executionServiceRunner, shadowExecutionRunner],
  parse: parseExecutionScenario,
};
