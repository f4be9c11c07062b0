import type { ExecutionScenario } from '../../kinds/execution/scenario.js';
import { decisionScenarios } from './decisions.js';
import { orderScenarios } from './orders.js';
import { riskScenarios } from './risk.js';
import { importedScenarios } from '../imported/index.js';

/** The execution catalogue: golden/execution/<name>.json each, recorded from the frozen OrderExecutor. */
export const executionScenarios: readonly ExecutionScenario[] = [
  ...decisionScenarios,
  ...riskScenarios,
  ...orderScenarios,
  // Production shadow mismatches made regression tests (`pnpm golden:import`): src/scenarios/imported/execution/.
  ...(importedScenarios('execution') as ExecutionScenario[]),
];
