import type { ExecutionScenario } from '../../kinds/execution/scenario.js';
import { decisionScenarios } from './decisions.js';
import { orderScenarios } from './orders.js';
import { overlapScenarios } from './overlap.js';
import { riskScenarios } from './risk.js';

/** The execution catalogue: golden/execution/<name>.json each, recorded from the frozen OrderExecutor. */
export const executionScenarios: readonly ExecutionScenario[] = [
  ...decisionScenarios,
  ...riskScenarios,
  ...orderScenarios,
  ...overlapScenarios,
];
