import { describe, expect, it } from 'vitest';
import { loadConfig } from './config/index.js';
import { toBotConfig } from './wiring.js';

describe('toBotConfig: quoteBatching', () => {
  const config = (env: NodeJS.ProcessEnv = {}) => loadConfig({ env }).config;

  it('is off by default, so marks stay last-trade prices even on a batching broker', () => {
    expect(config().quoteBatching).toBe(false);
    expect(toBotConfig(config(), true).quoteBatching).toBe(false);
  });

  it('PERPS_QUOTE_BATCHING=true batches only where the broker has a batch endpoint', () => {
    const on = config({ PERPS_QUOTE_BATCHING: 'true' });
    expect(toBotConfig(on, true).quoteBatching).toBe(true);
    expect(toBotConfig(on, false).quoteBatching).toBe(false);
    expect(toBotConfig(on).quoteBatching).toBe(false);
  });
});
