import type { Clock, PreTradeRisk } from '@perps-bot/core';
import { LiveRiskManager } from '@perps-bot/risk';
import type { AppConfig } from './config/index.js';
import { ConfigLimitsRisk, type RiskLimits } from './interim-risk.js';

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

export interface RiskServices {
  readonly riskManager: LiveRiskManager;
  readonly preTradeRisk: PreTradeRisk;
}

/**
 * The one place risk is built from the configuration. When LiveRiskManager gains preTradeCheck (risk
 * branch), construct it with all of `limits` and return it as both services here; ConfigLimitsRisk goes away.
 */
export function createRiskServices(config: AppConfig, clock: Clock): RiskServices {
  const limits = riskLimitsFromConfig(config);
  return {
    riskManager: new LiveRiskManager({ clock, config: { maxMarkStalenessSeconds: limits.maxMarkStalenessSeconds } }),
    preTradeRisk: new ConfigLimitsRisk(limits, clock),
  };
}
