import { ConfigError } from '@perps-bot/core';

/** Which executor places orders: `legacy` (the frozen OrderExecutor), `service` (ExecutionService), `shadow`. */
export type ExecutionMode = 'legacy' | 'service' | 'shadow';

const EXECUTION_FLAG = 'USE_NEW_EXECUTION_SERVICE';

/**
 * USE_NEW_EXECUTION_SERVICE, read when the trading cycle is built (never at import): unset or "true" → the
 * ExecutionService, "false" → the legacy OrderExecutor, "shadow" → the legacy executor applies and the
 * service runs beside it on a paper twin (ShadowExecution). Case-insensitive; anything
 * else is refused, so a typo cannot silently pick a path that places real orders.
 */
export function readExecutionMode(env: NodeJS.ProcessEnv): ExecutionMode {
  const raw = env[EXECUTION_FLAG];
  if (raw === undefined || raw.trim() === '') return 'service';
  const value = raw.trim().toLowerCase();
  if (value === 'true') return 'service';
  if (value === 'false') return 'legacy';
  if (value === 'shadow') return 'shadow';
  throw new ConfigError(EXECUTION_FLAG, `${EXECUTION_FLAG} must be true, false or shadow (got "${raw}")`);
}
