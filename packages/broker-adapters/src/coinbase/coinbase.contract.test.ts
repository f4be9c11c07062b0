import nock from 'nock';
import { afterAll, beforeAll } from 'vitest';
import { describeBrokerageContract } from '../contract/brokerage-contract.js';
import { installFakeCoinbase } from './__fixtures__/fake-exchange.js';
import { harness } from './test-utils.js';

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

// The fake verifies every JWT with the key pair's public half, so this also proves the signing end to end.
describeBrokerageContract('CoinbaseBrokerage (US futures, against a nock fake built from the fixtures)', () => {
  const h = harness();
  const fake = installFakeCoinbase({ publicKey: h.key.publicKey, now: () => h.clock.now() });
  return { broker: h.broker, symbol: 'BIP-20DEC30-CDE', otherSymbol: 'BTC-PERP-INTX', teardown: fake.uninstall };
});
