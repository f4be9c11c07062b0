import type { Schedule } from './schedule.js';

/**
 * Counterexamples the generated schedules found (shrunk by fast-check), kept by name so that each runs in
 * every `pnpm test` from now on. Each says what it broke on the code it was found on.
 */
export const REGRESSIONS: Readonly<Record<string, Schedule>> = {};
