export { DeterministicBroker, type DeterministicBrokerOptions, type FailureMode } from './deterministic/deterministic-broker.js';
export { basePriceFor, isPerpetualSymbol } from './deterministic/base-prices.js';
export { mulberry32, hashString } from './deterministic/seeded-random.js';
