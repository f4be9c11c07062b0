import { Decimal, ManualClock } from '@perps-bot/core';
import { describeBrokerageContract } from '../contract/brokerage-contract.js';
import { DeterministicBroker } from '../deterministic/deterministic-broker.js';
import { PaperBroker } from './paper-broker.js';

describeBrokerageContract('PaperBroker over deterministic quotes', () => {
  const clock = new ManualClock();
  return {
    broker: new PaperBroker({
      marketData: new DeterministicBroker({ seed: 11, clock }),
      feeBps: 6,
      slippageBps: 2,
      clock,
    }),
    symbol: 'BTC-PERP',
    otherSymbol: 'ETH-PERP',
    quantity: new Decimal('0.5'),
  };
});
