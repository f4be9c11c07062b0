import { ManualClock } from '@perps-bot/core';
import { describeBrokerageContract } from '../contract/brokerage-contract.js';
import { DeterministicBroker } from './deterministic-broker.js';

describeBrokerageContract('DeterministicBroker', () => ({
  broker: new DeterministicBroker({ seed: 7, clock: new ManualClock() }),
  symbol: 'BTC-PERP',
  otherSymbol: 'ETH-PERP',
}));
