import { Decimal, decimalToString } from '@perps-bot/core';
import { parseRiskConfig, RISK_ENV_VARS, type RiskConfig } from '@perps-bot/risk';
import { riskConfigFor } from '../risk-factory.js';
import type { LoadedConfig } from './load-config.js';

/** What each RISK_* setting does, in the words of packages/risk/README.md (help, `config`, the banner). */
export const RISK_DESCRIPTIONS: Readonly<Record<keyof RiskConfig, string>> = {
  killSwitchEnabled: 'global halt: every order is rejected and every symbol skipped',
  reduceOnlyMode: 'only orders that reduce a position (also the app setting reduceOnlyMode)',
  maxLeverage: 'largest notional / equity (also the app setting maxLeverage)',
  leverageMaxPerSymbol: 'per-symbol leverage caps, SYMBOL:N,…',
  daytimeStartUtc: 'start (HH:MM UTC) of the window selecting the day caps and MMRs',
  daytimeEndUtc: 'end (HH:MM UTC, exclusive) of that window',
  dayLeverageMaxPerSymbol: 'per-symbol leverage caps inside the daytime window',
  nightLeverageMaxPerSymbol: 'per-symbol leverage caps outside it',
  dayMmrPerSymbol: 'per-symbol maintenance margin rates inside the daytime window',
  nightMmrPerSymbol: 'per-symbol maintenance margin rates outside it',
  minLiquidationBufferPct: 'smallest distance to liquidation, as a fraction of the mark',
  enablePreTradeLiqProjection: 'project the liquidation buffer of an order before placing it',
  defaultMaintenanceMarginRate: 'maintenance margin rate where none is given per symbol',
  dailyLossLimit:
    'loss from the day’s starting equity after which only reducing orders pass (app setting dailyLossLimit)',
  maxNotionalPerSymbol:
    'largest position notional per symbol (the app’s maxPositionSize fills in each configured symbol)',
  maxPositionPctPerSymbol: 'largest position notional per symbol as a fraction of equity',
  maxExposurePct: 'largest total notional as a fraction of equity',
  slippageGuardBps: 'largest expected slippage of an order, basis points (0 disables)',
  maxMarkStalenessSeconds:
    'seconds after which a mark is stale; twice that halts its symbol (app setting maxMarkStalenessSeconds)',
  enableVolatilityCircuitBreaker: 'turn the volatility circuit breaker on',
  volatilityWindowPeriods: 'marks the breaker’s volatility is computed over (≥ 11)',
  volatilityWarningThreshold: 'annualised volatility that logs a warning',
  volatilityReduceOnlyThreshold: 'annualised volatility that switches reduce-only on',
  volatilityKillSwitchThreshold: 'annualised volatility that turns the kill switch on',
  circuitBreakerCooldownMinutes: 'minutes a breaker stays tripped',
};

/** The risk settings the app's own settings carry (with their layers), and which app setting that is. */
const FROM_APP: Partial<Record<keyof RiskConfig, string>> = {
  maxLeverage: 'maxLeverage',
  dailyLossLimit: 'dailyLossLimit',
  reduceOnlyMode: 'reduceOnlyMode',
  maxMarkStalenessSeconds: 'maxMarkStalenessSeconds',
};

interface RiskSettingView {
  readonly key: keyof RiskConfig;
  readonly env: readonly string[];
  readonly value: string;
  readonly source: string;
  readonly description: string;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '(not set)';
  if (value instanceof Decimal) return decimalToString(value);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? '(none)' : entries.map(([k, v]) => `${k}:${show(v)}`).join(',');
  }
  return String(value);
}

/** Every RISK_* setting with its effective value (what the risk manager will use) and where it came from. */
export function riskSettingsView(loaded: LoadedConfig, env: NodeJS.ProcessEnv): RiskSettingView[] {
  const effective = parseRiskConfig(riskConfigFor(loaded.config, env));
  const sources = loaded.sources as Record<string, string>;
  return (Object.keys(RISK_ENV_VARS) as (keyof RiskConfig)[]).map((key) => {
    const names = RISK_ENV_VARS[key];
    const setBy = names.find((name) => (env[name] ?? '').trim() !== '');
    const appKey = FROM_APP[key];
    let source = setBy ? `env ${setBy}` : 'default';
    if (appKey) source = `setting ${appKey} (${sources[appKey] ?? 'default'})`;
    else if (key === 'maxNotionalPerSymbol')
      source = `${setBy ? `env ${setBy} over ` : ''}setting maxPositionSize (${sources.maxPositionSize ?? 'default'})`;
    return { key, env: names, value: show(effective[key]), source, description: RISK_DESCRIPTIONS[key] };
  });
}
