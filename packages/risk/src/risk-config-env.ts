import { parseRiskConfig, type RiskConfig } from './risk-config.js';

/**
 * The environment variables each setting is read from, first match wins. The names are the reference's
 * (RISK_CONFIG_ENV_ALIASES in live_trade_config.py), so an existing deployment's environment keeps working.
 */
export const RISK_ENV_VARS: Readonly<Record<keyof RiskConfig, readonly string[]>> = Object.freeze({
  killSwitchEnabled: ['RISK_KILL_SWITCH_ENABLED'],
  reduceOnlyMode: ['RISK_REDUCE_ONLY_MODE'],
  maxLeverage: ['RISK_MAX_LEVERAGE'],
  leverageMaxPerSymbol: ['RISK_LEVERAGE_MAX_PER_SYMBOL'],
  daytimeStartUtc: ['RISK_DAYTIME_START_UTC'],
  daytimeEndUtc: ['RISK_DAYTIME_END_UTC'],
  dayLeverageMaxPerSymbol: ['RISK_DAY_LEVERAGE_MAX_PER_SYMBOL'],
  nightLeverageMaxPerSymbol: ['RISK_NIGHT_LEVERAGE_MAX_PER_SYMBOL'],
  dayMmrPerSymbol: ['RISK_DAY_MMR_PER_SYMBOL'],
  nightMmrPerSymbol: ['RISK_NIGHT_MMR_PER_SYMBOL'],
  minLiquidationBufferPct: ['RISK_MIN_LIQUIDATION_BUFFER_PCT'],
  enablePreTradeLiqProjection: ['RISK_ENABLE_PRE_TRADE_LIQ_PROJECTION'],
  defaultMaintenanceMarginRate: ['RISK_DEFAULT_MMR'],
  dailyLossLimit: ['RISK_DAILY_LOSS_LIMIT'],
  maxNotionalPerSymbol: ['RISK_MAX_NOTIONAL_PER_SYMBOL'],
  maxPositionPctPerSymbol: ['RISK_MAX_POSITION_PCT_PER_SYMBOL'],
  maxExposurePct: ['RISK_MAX_EXPOSURE_PCT', 'RISK_MAX_TOTAL_EXPOSURE_PCT'],
  slippageGuardBps: ['RISK_SLIPPAGE_GUARD_BPS'],
  maxMarkStalenessSeconds: ['RISK_MAX_MARK_STALENESS_SECONDS'],
  enableVolatilityCircuitBreaker: ['RISK_ENABLE_VOLATILITY_CB'],
  volatilityWindowPeriods: ['RISK_VOL_WINDOW_PERIODS'],
  volatilityWarningThreshold: ['RISK_VOL_WARNING_THRESH'],
  volatilityReduceOnlyThreshold: ['RISK_VOL_REDUCE_ONLY_THRESH'],
  volatilityKillSwitchThreshold: ['RISK_VOL_KILL_SWITCH_THRESH'],
  circuitBreakerCooldownMinutes: ['RISK_CB_COOLDOWN_MIN'],
});

/**
 * Reads the RISK_* variables (see RISK_ENV_VARS and the package README) over the defaults. An unset or blank
 * variable means "use the default". A bad value throws ConfigError whose `setting` is the variable's name, so the
 * message points at what to fix in the environment. Read when the bot initialises, never at import.
 */
export function riskConfigFromEnv(env: NodeJS.ProcessEnv = process.env): RiskConfig {
  const input: Record<string, string> = {};
  const sourceOf = new Map<string, string>();
  for (const [setting, names] of Object.entries(RISK_ENV_VARS)) {
    for (const name of names) {
      const raw = env[name];
      if (raw === undefined || raw.trim() === '') continue;
      input[setting] = raw.trim();
      sourceOf.set(setting, name);
      break;
    }
  }
  return parseRiskConfig(input, (path) => {
    const [setting, ...rest] = path.map(String);
    const variable = setting === undefined ? undefined : sourceOf.get(setting);
    // Cross-setting problems (a daytime end without a start) may point at a setting that was left unset.
    const name =
      variable ?? (setting === undefined ? 'RISK_*' : (RISK_ENV_VARS[setting as keyof RiskConfig]?.[0] ?? setting));
    return rest.length === 0 ? name : `${name}[${rest.join('.')}]`;
  });
}
