export { buildTradingBot, toBotConfig, type TradingBotDeps } from './wiring.js';
export { formatMarks, formatShadow } from './report.js';
export { createPinoLogger, toLoggerPort, REDACTED_PATHS } from './logger.js';
export { createBroker, BrokerBootstrapError, type BrokerFactoryInput, type BrokerSetup } from './broker-factory.js';
export {
  createRiskManager,
  riskConfigFor,
  riskLimitsFromConfig,
  type RiskLimits,
  type RiskServicesInput,
} from './risk-factory.js';
export { runCommand, type RunCommandInput } from './run-command.js';
export { writeHealthFile, healthSnapshot, type HealthSnapshot, type HealthStatus } from './health.js';
export * from './config/index.js';
export { ExitCodes, SHUTDOWN_DEADLINE_MS } from './exit-codes.js';
