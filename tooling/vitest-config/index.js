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
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});

/** @param {import('vitest/config').UserConfig} [overrides] */
export function definePackageConfig(overrides = {}) {
  return mergeConfig(basePreset, overrides);
}
