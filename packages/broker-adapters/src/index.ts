export { DeterministicBroker } from './deterministic/deterministic-broker.js';
export { PaperBroker, type PaperMarketData } from './paper/paper-broker.js';
export { syntheticProduct } from './paper/order-rules.js';
export type { PaperLedgerSnapshot } from './paper/ledger-snapshot.js';
export { CoinbaseBrokerage } from './coinbase/adapter.js';
export { createCoinbaseBroker, createCoinbaseMarketDataStream } from './coinbase/factory.js';
export { CANDLE_GRANULARITY_SECONDS, MAX_CANDLES } from './coinbase/candles.js';
export type { StreamFrameStats } from './coinbase/ws/frame-guard.js';
export { readFrame } from './coinbase/ws/frames.js';
