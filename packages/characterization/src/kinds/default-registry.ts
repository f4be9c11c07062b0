import { executionScenarios } from '../scenarios/execution/index.js';
import { markUpdateScenarios } from '../scenarios/mark-update/index.js';
import { streamScenarios } from '../scenarios/stream/index.js';
import { executionKind } from './execution/kind.js';
import { markUpdateKind } from './mark-update/kind.js';
import { KindRegistry } from './registry.js';
import { streamKind } from './stream/kind.js';

/**
 * Every scenario kind with golden files, each with its catalogue: the one place they are listed. A new
 * extraction registers its kind and catalogue here; nothing else imports a catalogue.
 */
export function defaultRegistry(): KindRegistry {
  return new KindRegistry()
    .register(markUpdateKind, markUpdateScenarios)
    .register(streamKind, streamScenarios)
    .register(executionKind, executionScenarios);
}
