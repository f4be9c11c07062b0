// Shared vitest preset. Plain JS so that every package's vitest.config.ts can import it without a build.
import { defineConfig, mergeConfig } from 'vitest/config';

/** Resolve workspace packages to their TypeScript sources (the `source` export condition), so a package's
 * tests never wait for another package's build and always see its current code. */
const sourceConditions = ['source', 'module', 'node', 'import', 'default'];

export const basePreset = defineConfig({
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions, externalConditions: ['source'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    environment: 'node',
    // Tests toggle feature flags with vi.stubEnv; never let one test's flag leak into the next.
    unstubEnvs: true,
    restoreMocks: true,
    // A trading bot's tests must be deterministic; a retry would hide a flaky one.
    retry: 0,
    testTimeout: 20_000,
    // The JSON report feeds tooling/scripts/test-summary.mjs, which prints one total line for the whole workspace.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
  },
});

/** @param {import('vitest/config').UserConfig} [overrides] */
export function definePackageConfig(overrides = {}) {
  return mergeConfig(basePreset, overrides);
}
