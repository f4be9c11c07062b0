import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, ManualClock, MemoryEventStore, MemoryLogger } from '@perps-bot/core';
import { MemoryOrdersStore } from '@perps-bot/stores/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker } from './broker-factory.js';
import { loadConfig } from './config/index.js';
import { healthSnapshot } from './health.js';
import { buildTradingBot, toBotConfig } from './wiring.js';

const NOW = '2026-04-07T14:30:00.000Z';
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve));
});

/** A loopback Coinbase that answers /time and a ticker whose trade is stamped `tradeTime`. */
async function loopbackCoinbase(tradeTime: string): Promise<string> {
  const server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    if (request.url?.startsWith('/api/v3/brokerage/time')) {
      response.end(JSON.stringify({ iso: NOW, epochSeconds: String(Date.parse(NOW) / 1000) }));
      return;
    }
    const trade = {
      trade_id: '1',
      product_id: 'BIP-20DEC30-CDE',
      price: '68930',
      size: '1',
      time: tradeTime,
      side: 'BUY',
    };
    response.end(JSON.stringify({ trades: [trade], best_bid: '68925', best_ask: '68935' }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('sane-values settings', () => {
  it('default to a 5 s clock skew and a 15 min product refresh, and read their variables', () => {
    expect(loadConfig({ env: {} }).config).toMatchObject({ maxClockSkewSeconds: 5, productRefreshMinutes: 15 });
    const set = loadConfig({ env: { PERPS_MAX_CLOCK_SKEW_SECONDS: '2', PERPS_PRODUCT_REFRESH_MINUTES: '1.5' } }).config;
    expect(set).toMatchObject({ maxClockSkewSeconds: 2, productRefreshMinutes: 1.5 });
  });

  it.each([
    ['PERPS_MAX_CLOCK_SKEW_SECONDS', '-1'],
    ['PERPS_PRODUCT_REFRESH_MINUTES', '0'],
  ])('refuse %s=%s naming the setting', (name, value) => {
    expect(() => loadConfig({ env: { [name]: value } })).toThrow(ConfigError);
  });

  it('the configured skew reaches the Coinbase adapter: a trade 3 s ahead is kept at 5 s, replaced at 2 s', async () => {
    const url = await loopbackCoinbase('2026-04-07T14:30:03.000Z');
    const stamp = async (skew: number) => {
      const config = {
        ...loadConfig({ env: {} }).config,
        broker: 'coinbase' as const,
        apiUrl: url,
        maxClockSkewSeconds: skew,
      };
      const setup = await createBroker({
        config,
        credentials: undefined,
        clock: new ManualClock(NOW),
        logger: new MemoryLogger(),
      });
      return (await setup.broker.getQuote('BIP-20DEC30-CDE'))?.ts.toISOString();
    };
    expect(await stamp(5)).toBe('2026-04-07T14:30:03.000Z');
    expect(await stamp(2)).toBe(NOW);
  });

  it('a Coinbase setup reports its stream refusal counts for health.json', async () => {
    const url = await loopbackCoinbase(NOW);
    const config = { ...loadConfig({ env: {} }).config, broker: 'coinbase' as const, apiUrl: url };
    const setup = await createBroker({
      config,
      credentials: undefined,
      clock: new ManualClock(NOW),
      logger: new MemoryLogger(),
    });
    expect(setup.streamStats?.()).toEqual({ unsubscribedFrames: 0, unsubscribedByProduct: {}, booksWithoutMid: 0 });
  });

  it('toBotConfig leaves the bot config as it was (the refresh goes to the trading options)', () => {
    expect(toBotConfig(loadConfig({ env: {} }).config)).not.toHaveProperty('productRefreshMinutes');
  });

  it('health.json carries the stream refusal counts, or null without a source that counts', async () => {
    const clock = new ManualClock(NOW);
    const logger = new MemoryLogger();
    const { config } = loadConfig({ env: {} });
    const { broker } = await createBroker({ config, credentials: undefined, clock, logger });
    const bot = await buildTradingBot(config, {
      broker,
      eventStore: new MemoryEventStore({ jsonRoundTrip: true }),
      ordersStore: new MemoryOrdersStore(),
      logger,
      clock,
      env: {},
    });
    const state = { status: 'running' as const, cycleCount: 0, lastCycleAt: null, lastError: null };
    const stats = { unsubscribedFrames: 3, unsubscribedByProduct: { NaN: 2, '1': 1 }, booksWithoutMid: 1 };
    expect(healthSnapshot(bot, state, { broker: 'deterministic' }).stream).toBeNull();
    expect(healthSnapshot(bot, state, { broker: 'coinbase', streamStats: () => stats }).stream).toEqual(stats);
  });
});
