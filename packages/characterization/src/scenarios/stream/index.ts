import type { StreamScenario } from '../../kinds/stream/scenario.js';
import { failureScenarios } from './failures.js';
import { lifecycleScenarios } from './lifecycle.js';
import { messageScenarios } from './messages.js';
import { openScenarios } from './opens.js';
import { runScenarios } from './runs.js';

/** The stream catalogue: golden/stream/<name>.json each (and <name>.candidate.json where the service differs on purpose). */
export const streamScenarios: readonly StreamScenario[] = [
  ...messageScenarios,
  ...openScenarios,
  ...failureScenarios,
  ...runScenarios,
  ...lifecycleScenarios,
];
