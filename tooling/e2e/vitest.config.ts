import { definePackageConfig } from '@perps-bot/vitest-config';

// Child processes and sockets on a shared two-core machine: the limits only stop a hung run, they never decide
// a result (every wait is for a state, with its own deadline).
export default definePackageConfig({ test: { testTimeout: 120_000, hookTimeout: 60_000 } });
