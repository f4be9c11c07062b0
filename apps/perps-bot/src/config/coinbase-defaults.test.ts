// Plain vitest: loadConfig is pure given its inputs.
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';

const load = (flags: Record<string, string>, env: NodeJS.ProcessEnv = {}) =>
  loadConfig({ flags, env, cwd: '/srv/bot', readFile: () => '{}' });

describe('symbols when broker is coinbase', () => {
  it('defaults to the CFM perpetual-style futures, not the deterministic ids, when no symbols are set', () => {
    const loaded = load({ broker: 'coinbase' });
    expect([loaded.config.symbols, loaded.sources.symbols]).toEqual([
      ['BIP-20DEC30-CDE', 'ETP-20DEC30-CDE'],
      'default (coinbase)',
    ]);
  });

  it('keeps symbols that were set, and the deterministic defaults for the deterministic broker', () => {
    expect(load({ broker: 'coinbase', symbols: 'BTC-USD' }).config.symbols).toEqual(['BTC-USD']);
    expect(load({ broker: 'coinbase' }, { TRADING_SYMBOLS: 'ETH-USD' }).config.symbols).toEqual(['ETH-USD']);
    expect(load({}).config.symbols).toEqual(['BTC-PERP', 'ETH-PERP']);
  });

  it('reads ORDER_PREVIEW_ENABLED (default off)', () => {
    expect(load({}).config.orderPreview).toBe(false);
    expect(load({}, { ORDER_PREVIEW_ENABLED: 'true' }).config.orderPreview).toBe(true);
  });
});
