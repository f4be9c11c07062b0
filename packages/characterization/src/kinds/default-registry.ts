import { markUpdateKind } from './mark-update/kind.js';
import { executionKind } from './execution/kind.js';
import { KindRegistry } from './registry.js';
import { streamKind } from './stream/kind.js';

/** Every scenario kind with golden files. A new extraction registers its kind here. */
export function defaultRegistry(): KindRegistry {
  return new KindRegistry().register(markUpdateKind).register(streamKind).register(executionKind);
}
