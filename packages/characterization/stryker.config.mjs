// `pnpm mutation`: the characterization suite ALONE must kill the mutants of the extracted candidates.
// Run from the repository root (src/cli/mutation.ts does) so the globs reach packages/market-data.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The candidates of the extractions so far; a new extraction adds its service here. */
export const CANDIDATES = [
  'packages/market-data/src/market-data-service.ts',
  'packages/market-data/src/quote-mark.ts',
  'packages/market-data/src/mark-window.ts',
  'packages/market-data/src/mark-windows.ts',
  'packages/market-data/src/streaming/streaming-service.ts',
  'packages/market-data/src/streaming/stream-mark.ts',
  // Phase 3: the ExecutionService, one module per step (the frozen cycle/order-executor.ts is the control, not a
  // candidate; execution-mode.ts reads a flag and shadow-execution.ts compares, neither is the extracted path).
  'packages/orchestration/src/execution/execution-service.ts',
  'packages/orchestration/src/execution/pre-trade.ts',
  'packages/orchestration/src/execution/dry-run.ts',
  'packages/orchestration/src/execution/reducing-order.ts',
  'packages/orchestration/src/execution/place-order.ts',
  'packages/orchestration/src/execution/not-sent.ts',
  'packages/orchestration/src/execution/execution-events.ts',
];

const only = process.env.MUTATE_ONLY?.split(',').filter(Boolean);

// Options: https://stryker-mutator.io/docs/stryker-js/configuration/
export default {
  // Named by path: under pnpm, Stryker cannot find a plugin that is not hoisted next to it.
  plugins: [require.resolve('@stryker-mutator/vitest-runner')],
  testRunner: 'vitest',
  vitest: { configFile: 'packages/characterization/vitest.mutation.config.ts', related: false },
  // In place: a sandbox copy would resolve @perps-bot/market-data through the workspace link to the
  // unmutated sources, and every mutant would survive.
  inPlace: true,
  mutate: only ?? CANDIDATES,
  coverageAnalysis: 'perTest',
  // Two cores shared with other work.
  concurrency: Number(process.env.STRYKER_CONCURRENCY ?? 2),
  timeoutMS: 20_000,
  reporters: ['json', 'clear-text', 'progress'],
  jsonReporter: { fileName: 'packages/characterization/reports/mutation/mutation.json' },
  tempDirName: 'packages/characterization/.stryker-tmp',
  cleanTempDir: 'always',
  ignoreStatic: true,
  // Only the mutated files get `// @ts-nocheck` (the default pattern would rewrite, and restore without
  // their executable bit, files all over the workspace).
  disableTypeChecks: '{packages/market-data/src/**/*.ts,packages/orchestration/src/execution/*.ts}',
  thresholds: { high: 95, low: 90, break: null },
};
