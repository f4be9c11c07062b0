// What the end-to-end suite drives in process; the `perps-bot` command is the app's real interface.
export { buildTradingBot } from './wiring.js';
export { createBroker, BrokerBootstrapError } from './broker-factory.js';
export { loadConfig, type Credentials } from './config/index.js';
export { ExitCodes } from './exit-codes.js';
