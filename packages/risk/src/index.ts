export { LiveRiskManager } from './live-risk-manager.js';
export {
  EMPTY_RISK_STATE,
  clearRiskState,
  parseRiskStateSnapshot,
  type RiskStatePersistence,
  type RiskStateSnapshot,
} from './risk-state.js';
export { parseRiskConfig, type RiskConfig, type RiskConfigInput } from './risk-config.js';
export { RISK_ENV_VARS, riskConfigFromEnv } from './risk-config-env.js';
export type { RiskEventSink } from './risk-events.js';
