export { buildDevBot, type BuildBotOptions } from './wiring.js';
export { formatMarks } from './report.js';
export { createPinoLogger, toLoggerPort, REDACTED_PATHS } from './logger.js';
