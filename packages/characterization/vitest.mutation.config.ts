import { fileURLToPath } from 'node:url';
import { definePackageConfig } from '@perps-bot/vitest-config';

// The characterization suite as Stryker runs it (`pnpm mutation`): Stryker runs from the repository root (the
// mutated candidates live in packages/market-data), so the root is pinned to this package, and no JSON report
// is written per mutant run.
export default definePackageConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: { reporters: ['dot'], outputFile: {} },
});
