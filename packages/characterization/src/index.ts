export { canonicalJson, fingerprint, sortKeys, type Json } from './json/canonical.js';
export { Scrubber } from './recorder/scrub.js';
export { Recorder, type Entry, type Phase, type ProxyOptions } from './recorder/recorder.js';
export { diffJson, fieldDifferences, type Difference, type FieldDifference } from './diff/diff.js';
export { formatDiff, type FormatOptions } from './diff/format.js';
export type {
  BaseScenario,
  Recording,
  Runner,
  ScenarioKind,
  KindDefinition,
  AnyScenarioKind,
  IgnoreRule,
} from './kinds/kind.js';
export { KindRegistry } from './kinds/registry.js';
export { defaultRegistry } from './kinds/default-registry.js';
export { goldenDocument, scenarioFingerprint, comparable, roleOf } from './golden/document.js';
export { compareRecordings, type Comparison } from './golden/compare.js';
export {
  DEFAULT_GOLDEN_DIR,
  goldenPath,
  goldenFileName,
  receivedPath,
  listGoldenFiles,
  type GoldenRole,
  type GoldenFile,
} from './golden/store.js';
export {
  recordGoldens,
  formatSummary,
  summaryHasChanges,
  type RecordOptions,
  type RecordSummary,
} from './golden/record.js';
export { verifyAgainstGolden, type Verdict } from './golden/verify.js';
export * from './kinds/mark-update/index.js';
export * from './kinds/stream/index.js';
