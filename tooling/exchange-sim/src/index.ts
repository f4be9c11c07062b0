export { startExchangeSim, type ExchangeSim } from './server.js';
export type { Faults } from './options.js';
export { generateTestCredentials, signTestJwt, jwtUriFor, type TestCredentials } from './auth.js';
export type { SimStats, FaultRecord, FaultKind } from './stats.js';
export { matchRoute } from './routes/index.js';
export type { SimLedgerView } from './ledger-view.js';
