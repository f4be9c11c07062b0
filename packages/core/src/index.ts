export * from './decimal.js';
export * from './errors.js';
export * from './clock.js';
export * from './logger.js';
export * from './broker-types.js';
export * from './brokerage.js';
export * from './ports.js';
export * from './flags.js';
