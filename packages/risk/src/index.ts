export { LiveRiskManager, DEFAULT_STALENESS, type StalenessConfig } from './live-risk-manager.js';
