import { DeterministicBroker } from '@perps-bot/broker-adapters';
import { ManualClock, silentLogger } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { BrokerBootstrapError, createBroker } from './broker-factory.js';
import { loadConfig } from './config/index.js';

const build = (broker: string, seed = 42) =>
  createBroker({ config: { ...loadConfig({ env: {} }).config, broker: broker as never, seed }, credentials: undefined, clock: new ManualClock(), logger: silentLogger });

describe('createBroker', () => {
  it('builds the deterministic broker with the configured seed', async () => {
    const a = await build('deterministic', 7);
    const b = await build('deterministic', 7);
    expect(a).toBeInstanceOf(DeterministicBroker);
    expect((await a.getQuote('BTC-PERP'))?.last.toFixed()).toBe((await b.getQuote('BTC-PERP'))?.last.toFixed());
  });

  it.each(['coinbase', 'paper'])('refuses %s with a typed BROKER_BOOTSTRAP error until its adapter is merged', async (name) => {
    const error = await build(name).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerBootstrapError);
    expect(error).toMatchObject({ code: 'BROKER_BOOTSTRAP', broker: name, name: 'BrokerBootstrapError' });
    expect((error as Error).message).toMatch(new RegExp(`^broker "${name}" is not available in this build yet`));
  });
});
