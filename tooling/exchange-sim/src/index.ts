export { startExchangeSim, type ExchangeSim } from './server.js';
export type { SimOptions, Faults, RestFaults, WsFaults, PositionFaults, CloseReason } from './options.js';
export { DEFAULTS, PUBLISHED_RATE_LIMITS } from './options.js';
export {
  generateTestCredentials,
  signTestJwt,
  jwtUriFor,
  verifyCdpJwt,
  type TestCredentials,
  type TrustedKey,
} from './auth.js';
export { DEFAULT_PRODUCT_IDS, productFor, type ProductDef } from './products.js';
export type { SimStats, FaultRecord, FaultKind } from './stats.js';
export type { SimQuote } from './market.js';
export type { PumpOptions } from './ws/feed.js';
export { ROUTE_NAMES, BROKERAGE_PREFIX, matchRoute, type Route } from './routes/index.js';
export type { SimLedgerView, SimOrderView, SimFillView } from './ledger-view.js';
export { HOSTILE_KINDS, makeHostile, type HostileKind } from './hostile.js';
