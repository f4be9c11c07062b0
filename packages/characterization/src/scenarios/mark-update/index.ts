import type { MarkUpdateScenario } from '../../kinds/mark-update/scenario.js';
import { batchScenarios } from './batches.js';
import { overlapScenarios } from './overlap.js';
import { priceScenarios } from './prices.js';
import { quoteScenarios } from './quotes.js';
import { riskScenarios } from './risk.js';
import { runScenarios } from './runs.js';
import { timestampScenarios } from './timestamps.js';
import { windowScenarios } from './windows.js';
import { importedScenarios } from '../imported/index.js';

/** The mark-update catalogue: one golden file each, under golden/mark-update/<name>.json. */
export const markUpdateScenarios: readonly MarkUpdateScenario[] = [
  ...quoteScenarios,
  ...priceScenarios,
  ...timestampScenarios,
  ...riskScenarios,
  ...windowScenarios,
  ...runScenarios,
  ...batchScenarios,
  ...overlapScenarios,
  // Production shadow mismatches made regression tests (`pnpm golden:import`): src/scenarios/imported/mark-update/.
  ...(importedScenarios('mark-update') as MarkUpdateScenario[]),
];
