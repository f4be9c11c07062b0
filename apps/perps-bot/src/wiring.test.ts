import { describe, expect, it } from 'vitest';
import { loadConfig } from './config/index.js';
import { toBotConfig } from './wiring.js';

describe('toBotConfig: quoteBatching', () => {
  const config = (env: NodeJS.ProcessEnv = {}) => loadConfig({ env }).config;

  it('is on by default (last-trade marks in one request), and batches only where the broker has a batch endpoint', () => {
    expect(config().quoteBatching).toBe(true);
    expect(toBotConfig(config(), true).quoteBatching).toBe(true);
    expect(toBotConfig(config(), false).quoteBatching).toBe(false);
    expect(toBotConfig(config()).quoteBatching).toBe(false);
  });

  it('PERPS_QUOTE_BATCHING=false turns it off even on a batching broker', () => {
    expect(toBotConfig(config({ PERPS_QUOTE_BATCHING: 'false' }), true).quoteBatching).toBe(false);
  });
});
