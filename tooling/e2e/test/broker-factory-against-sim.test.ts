import { CoinbaseBrokerage, PaperBroker } from '@perps-bot/broker-adapters';
import { Decimal, MemoryLogger, systemClock } from '@perps-bot/core';
import { generateTestCredentials, startExchangeSim, type ExchangeSim } from '@perps-bot/exchange-sim';
import { BrokerBootstrapError, createBroker, loadConfig, type Credentials } from 'perps-bot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The app's broker factory against the loopback simulator (the unit tests cover what needs no exchange). The
// real clock: JWTs are signed with the broker's clock and the simulator checks them against its own.
let sim: ExchangeSim;
let credentials: Credentials;

beforeAll(async () => {
  sim = await startExchangeSim({ seed: 3, tickIntervalMs: 0, products: ['BIP-20DEC30-CDE'] });
  const key = sim.credentials;
  if (!key) throw new Error('no test key');
  credentials = { apiKeyName: key.keyName, apiPrivateKey: key.privateKeyPem, source: 'settings' };
});

afterAll(async () => {
  await sim?.close();
});

const build = (broker: 'coinbase' | 'paper', creds: Credentials | undefined, logger = new MemoryLogger()) => {
  const config = loadConfig({ env: {}, flags: { apiUrl: sim.apiUrl, wsUrl: sim.wsUrl } }).config;
  return createBroker({ config: { ...config, broker }, credentials: creds, clock: systemClock, logger });
};

describe('createBroker against the simulator', () => {
  it('coinbase: the adapter on the configured URLs, connected with the key, streaming from the configured WebSocket', async () => {
    const setup = await build('coinbase', credentials);
    expect(setup.broker).toBeInstanceOf(CoinbaseBrokerage);
    expect(setup.batchesQuotes).toBe(true);
    const quote = await setup.broker.getQuote('BIP-20DEC30-CDE');
    expect(quote?.last.toFixed()).toBe(sim.quote('BIP-20DEC30-CDE')?.price.toFixed());
    expect(setup.streamSource).toBeDefined();
    const controller = new AbortController();
    const stream = setup.streamSource?.streamOrderbook(['BIP-20DEC30-CDE'], 1, controller.signal);
    for await (const message of stream ?? []) {
      expect(message).toMatchObject({ product_id: 'BIP-20DEC30-CDE', channel: 'ticker' });
      controller.abort();
    }
  });

  it('coinbase: a key the exchange refuses stops the start with a BrokerBootstrapError, not a first cycle of 401s', async () => {
    const stranger = generateTestCredentials();
    const error = await build('coinbase', {
      apiKeyName: stranger.keyName,
      apiPrivateKey: stranger.privateKeyPem,
      source: 'settings',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerBootstrapError);
    expect((error as Error).message).toMatch(
      /^could not reach Coinbase or have the API key accepted at http:\/\/127\.0\.0\.1:\d+: /,
    );
    expect((error as Error).message).not.toContain(stranger.privateKeyPem.slice(40, 80));
  });

  it('paper with a Coinbase URL: paper fills at Coinbase’s quotes, and nothing reaches the exchange’s order book', async () => {
    const before = sim.stats().orders;
    const setup = await build('paper', credentials);
    expect(setup.broker).toBeInstanceOf(PaperBroker);
    expect(setup.description).toBe(`paper over coinbase ${sim.apiUrl}`);
    expect(setup.batchesQuotes).toBe(true);
    const order = await setup.broker.placeOrder({
      symbol: 'BIP-20DEC30-CDE',
      side: 'BUY',
      type: 'MARKET',
      quantity: new Decimal(1),
    });
    expect(order.status).toBe('FILLED');
    expect(order.avgFillPrice?.toFixed()).toBe(sim.quote('BIP-20DEC30-CDE')?.ask.toFixed());
    expect(sim.stats().orders).toBe(before);
  });

  it('paper with only a URL (no credentials): public market data is enough', async () => {
    const setup = await build('paper', undefined);
    // The public products list with product_ids is the batch endpoint without a key: its price is the last trade.
    expect(setup.batchesQuotes).toBe(true);
    expect((await setup.broker.getQuote('BIP-20DEC30-CDE'))?.last.toFixed()).toBe(
      sim.quote('BIP-20DEC30-CDE')?.price.toFixed(),
    );
    const batch = await setup.broker.getQuotes?.(['BIP-20DEC30-CDE']);
    expect(batch?.get('BIP-20DEC30-CDE')?.last.toFixed()).toBe(sim.quote('BIP-20DEC30-CDE')?.price.toFixed());
  });
});
