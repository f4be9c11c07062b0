import { DeterministicBroker, PaperBroker } from '@perps-bot/broker-adapters';
import { ConfigError, ManualClock, MemoryLogger, silentLogger } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { BrokerBootstrapError, createBroker } from './broker-factory.js';
import { loadConfig, type Credentials } from './config/index.js';

const build = (
  broker: string,
  options: { seed?: number; apiUrl?: string; credentials?: Credentials; logger?: MemoryLogger } = {},
) => {
  const base = loadConfig({ env: {} }).config;
  return createBroker({
    config: { ...base, broker: broker as never, seed: options.seed ?? 42, apiUrl: options.apiUrl ?? base.apiUrl },
    credentials: options.credentials,
    clock: new ManualClock(),
    logger: options.logger ?? silentLogger,
  });
};

describe('createBroker', () => {
  it('builds the deterministic broker with the configured seed, and no stream', async () => {
    const a = await build('deterministic', { seed: 7 });
    const b = await build('deterministic', { seed: 7 });
    expect(a.broker).toBeInstanceOf(DeterministicBroker);
    expect(a.streamSource).toBeUndefined();
    expect(a.batchesQuotes).toBe(false);
    expect((await a.broker.getQuote('BTC-PERP'))?.last.toFixed()).toBe(
      (await b.broker.getQuote('BTC-PERP'))?.last.toFixed(),
    );
  });

  it('builds paper over the deterministic walk when Coinbase is not configured (no network, no stream)', async () => {
    const paper = await build('paper', { seed: 7 });
    const walk = new DeterministicBroker({ seed: 7, clock: new ManualClock() });
    expect(paper.broker).toBeInstanceOf(PaperBroker);
    expect(paper.description).toBe('paper over deterministic quotes');
    expect(paper.streamSource).toBeUndefined();
    expect(paper.batchesQuotes).toBe(false);
    expect((await paper.broker.getQuote('ETH-PERP'))?.last.toFixed()).toBe(
      (await walk.getQuote('ETH-PERP'))?.last.toFixed(),
    );
  });

  it('refuses a Coinbase key it cannot read with a ConfigError naming the variable, never the key', async () => {
    const credentials = {
      apiKeyName: 'organizations/o/apiKeys/k',
      apiPrivateKey: 'NOT-A-KEY-SECRET',
      source: 'settings',
    };
    const error = await build('coinbase', { credentials }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ setting: 'COINBASE_API_PRIVATE_KEY' });
    expect(JSON.stringify({ message: (error as Error).message, ...(error as object) })).not.toContain(
      'NOT-A-KEY-SECRET',
    );
  });

  it.each(['coinbase', 'paper'])(
    '%s: an exchange that cannot be reached is a BrokerBootstrapError (exit 2) naming the URL',
    async (name) => {
      // Port 1 on loopback refuses at once; the adapter retries the connection error with its backoff first.
      const logger = new MemoryLogger();
      const error = await build(name, { apiUrl: 'http://127.0.0.1:1', logger }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrokerBootstrapError);
      expect(error).toMatchObject({ code: 'BROKER_BOOTSTRAP', broker: 'coinbase' });
      expect((error as Error).message).toMatch(
        /^could not reach Coinbase at http:\/\/127\.0\.0\.1:1: Could not reach Coinbase for GET \/time/,
      );
      expect(logger.at('warn').map((r) => r.fields.code)).toEqual(['NETWORK', 'NETWORK', 'NETWORK', 'NETWORK']);
    },
  );
});
