import { ConfigError, hashString } from '@perps-bot/core';

/** The two runtime experiments, by the names their records and `perps-bot experiments` use. */
export const EXPERIMENTS = { restMarks: 'rest-marks', execution: 'execution' } as const;

export const MARKS_SHADOW_PERCENT = 'USE_NEW_MARKET_DATA_SERVICE_SHADOW_PERCENT';
export const EXECUTION_SHADOW_PERCENT = 'USE_NEW_EXECUTION_SERVICE_SHADOW_PERCENT';

/**
 * A shadow's ramp-up share (`…_SHADOW_PERCENT`): an integer 0–100, default 100 (every cycle). Read at
 * initialisation with the flags; anything else is a ConfigError naming the setting, never a silent 100.
 */
export function readShadowPercent(name: string, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return 100;
  const text = raw.trim();
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(value) || value < 0 || value > 100) {
    throw new ConfigError(
      name,
      `${name} must be an integer from 0 to 100 (a share of cycles, in percent; got "${raw}")`,
    );
  }
  return value;
}

/**
 * Whether the candidate runs beside the control in this cycle: deterministic in (experiment, cycle), so a test
 * (or an operator reading records) can predict it, and the two experiments sample different cycles.
 */
export function candidateRuns(experiment: string, cycle: number, percent: number): boolean {
  if (percent >= 100) return true;
  if (percent <= 0) return false;
  return hashString(`${experiment}#${cycle}`) % 100 < percent;
}
