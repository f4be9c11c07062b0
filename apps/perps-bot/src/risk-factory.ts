import type { Clock, Decimal, Logger } from '@perps-bot/core';
import {
  LiveRiskManager,
  riskConfigFromEnv,
  type RiskConfig,
  type RiskConfigInput,
  type RiskEventSink,
  type RiskStatePersistence,
  type RiskStateSnapshot,
} from '@perps-bot/risk';
import type { AppConfig } from './config/index.js';

/** The limits the app's own settings carry (each with its env var, flag, profile value and README row). */
export interface RiskLimits {
  readonly maxLeverage: number;
  /** Largest position notional per symbol, quote currency. */
  readonly maxPositionSize: Decimal;
  /** Loss from the UTC day's first equity after which only reducing orders pass; 0 = no limit. */
  readonly dailyLossLimit: Decimal;
  readonly reduceOnlyMode: boolean;
  readonly maxMarkStalenessSeconds: number;
}

/** Every risk setting of the configuration, so none is lost between config and risk (the reference lost daily_loss_limit). */
export function riskLimitsFromConfig(config: AppConfig): RiskLimits {
  return {
    maxLeverage: config.maxLeverage,
    maxPositionSize: config.maxPositionSize,
    dailyLossLimit: config.dailyLossLimit,
    reduceOnlyMode: config.reduceOnlyMode,
    maxMarkStalenessSeconds: config.maxMarkStalenessSeconds,
  };
}

/**
 * The risk configuration: every RISK_* variable the risk package reads (riskConfigFromEnv: per-symbol caps,
 * liquidation buffer, exposure, slippage, the volatility breaker…), then the app's validated limits on top.
 * Both read the same variable names for the shared settings (RISK_MAX_LEVERAGE, RISK_DAILY_LOSS_LIMIT…), and
 * the app's value also carries the profile, config file and flag layers, so it wins. maxPositionSize becomes
 * each configured symbol's notional cap, unless RISK_MAX_NOTIONAL_PER_SYMBOL names that symbol itself.
 */
export function riskConfigFor(config: AppConfig, env: NodeJS.ProcessEnv): RiskConfigInput {
  const fromEnv: RiskConfig = riskConfigFromEnv(env);
  const limits = riskLimitsFromConfig(config);
  const notionalCaps: Record<string, Decimal> = {};
  for (const symbol of config.symbols) notionalCaps[symbol] = limits.maxPositionSize;
  return {
    ...fromEnv,
    maxLeverage: limits.maxLeverage,
    dailyLossLimit: limits.dailyLossLimit,
    reduceOnlyMode: limits.reduceOnlyMode,
    maxMarkStalenessSeconds: limits.maxMarkStalenessSeconds,
    maxNotionalPerSymbol: { ...notionalCaps, ...fromEnv.maxNotionalPerSymbol },
  };
}

export interface RiskServicesInput {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
  /** Where risk events go (metrics under bot id "risk_engine"). */
  readonly eventStore?: RiskEventSink | undefined;
  /** risk.sqlite: where every change is saved, and the state saved by the last run, restored here. */
  readonly riskState?:
    { readonly persistence: RiskStatePersistence; readonly saved: RiskStateSnapshot | undefined } | undefined;
}

/**
 * The one risk manager of a bot: PerpsBot records every mark into it (REST and stream), the cycle asks it
 * for the runtime gates, and the executor asks it for the pre-trade decision: one map of last mark times.
 */
export function createRiskManager(config: AppConfig, input: RiskServicesInput): LiveRiskManager {
  const risk = new LiveRiskManager({
    clock: input.clock,
    logger: input.logger,
    config: riskConfigFor(config, input.env),
    ...(input.eventStore ? { eventStore: input.eventStore } : {}),
    ...(input.riskState ? { persistence: input.riskState.persistence } : {}),
  });
  // Before the first cycle: a breach, a kill switch or a reduce-only reason of the last run holds again.
  if (input.riskState?.saved) risk.restore(input.riskState.saved);
  return risk;
}
