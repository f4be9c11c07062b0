export { buildDevBot, buildTradingBot, toBotConfig, type BuildBotOptions, type TradingBotDeps } from './wiring.js';
export { formatMarks } from './report.js';
export { createPinoLogger, toLoggerPort, REDACTED_PATHS } from './logger.js';
export { createBroker, BrokerBootstrapError, type BrokerFactoryInput } from './broker-factory.js';
export { createRiskServices, riskLimitsFromConfig, type RiskServices } from './risk-factory.js';
export { ConfigLimitsRisk, type RiskLimits } from './interim-risk.js';
export { runCommand, type RunCommandInput } from './run-command.js';
export { writeHealthFile, healthSnapshot, type HealthSnapshot, type HealthStatus } from './health.js';
export * from './config/index.js';
