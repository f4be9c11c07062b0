/**
 * The reference's flag rule: on only when the value, lowercased, equals "true"; unset means the default.
 * Read flags when a component initialises, never at import, so tests can toggle them with vi.stubEnv.
 */
export function readBooleanFlag(name: string, defaultValue = true, env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env[name];
  if (raw === undefined) return defaultValue;
  return raw.trim().toLowerCase() === 'true';
}

export type MarketDataMode = 'new' | 'legacy' | 'shadow';

/**
 * USE_NEW_MARKET_DATA_SERVICE: "true" (default) → the MarketDataService; "shadow" → legacy applies its effects
 * while the service runs beside it and mismatches are reported; anything else → the legacy path.
 */
export function readMarketDataMode(env: NodeJS.ProcessEnv = process.env): MarketDataMode {
  const raw = env.USE_NEW_MARKET_DATA_SERVICE;
  if (raw === undefined) return 'new';
  const value = raw.trim().toLowerCase();
  if (value === 'true') return 'new';
  if (value === 'shadow') return 'shadow';
  return 'legacy';
}
