export { DeterministicBroker, type DeterministicBrokerOptions } from './deterministic/deterministic-broker.js';
export {
  DeterministicMarket,
  type DeterministicMarketOptions,
  type FailureMode,
} from './deterministic/deterministic-market.js';
export * from './coinbase/index.js';
export { PaperBroker, type PaperBrokerOptions, type PaperMarketData } from './paper/paper-broker.js';
export { applyFill, reducesOnly, type PaperHolding } from './paper/ledger.js';
export { syntheticProduct } from './paper/order-rules.js';
export { type PaperJournalEntry, type PaperLedgerSnapshot } from './paper/ledger-snapshot.js';
