export { LiveRiskManager, type LiveRiskManagerOptions, type RiskRestoreOutcome } from './live-risk-manager.js';
export {
  CONFIG_REASON,
  EMPTY_RISK_STATE,
  clearRiskState,
  parseRiskStateSnapshot,
  type RiskStatePersistence,
  type RiskStateSnapshot,
} from './risk-state.js';
export {
  DEFAULT_RISK_CONFIG,
  RISK_SETTING_NAMES,
  parseRiskConfig,
  type RiskConfig,
  type RiskConfigInput,
  type SettingNamer,
} from './risk-config.js';
export { RISK_ENV_VARS, riskConfigFromEnv } from './risk-config-env.js';
export { ALLOWED, DAILY_LOSS_REASON, evaluatePreTrade, type PreTradeState } from './pre-trade.js';
export { evaluateSlippage, type SlippageInput } from './slippage.js';
export { isDaytime, leverageCaps, maintenanceMarginRate, type LeverageCaps } from './leverage-caps.js';
export { isReducingOrder, netQuantity, positionNotional, signedQuantity, type ContractSizes } from './positions.js';
export { DailyLossTracker, type DailyPnlStatus } from './daily-loss.js';
export {
  annualisedVolatility,
  breakerAction,
  sampleStdev,
  VolatilityBreaker,
  type BreakerAction,
  type VolatilityOutcome,
} from './volatility.js';
export { RISK_BOT_ID, RiskEventRecorder, type RiskEventSink, type RiskEventType } from './risk-events.js';
