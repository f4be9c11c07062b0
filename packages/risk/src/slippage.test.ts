import { describe, expect, it } from 'vitest';
import { evaluateSlippage } from './slippage.js';
import { dec, setup } from './test-utils.js';

// bid 99.75 / ask 100.25: mid 100, spread 0.5 = exactly 50 bps.
describe('validateSlippage (spread + impact against slippageGuardBps)', () => {
  it.each([
    { name: 'spread exactly at the 50 bps guard', bid: '99.75', ask: '100.25', impact: undefined, allowed: true },
    { name: 'spread at the guard plus any impact', bid: '99.75', ask: '100.25', impact: '0.01', allowed: false },
    { name: 'spread 20 bps + impact 30 bps', bid: '99.9', ask: '100.1', impact: '30', allowed: true },
    { name: 'spread 20 bps + impact 30.01 bps', bid: '99.9', ask: '100.1', impact: '30.01', allowed: false },
    { name: 'a locked book', bid: '100', ask: '100', impact: undefined, allowed: true },
    { name: 'a crossed book cannot be judged', bid: '100.1', ask: '100', impact: undefined, allowed: false },
    { name: 'a zero bid cannot be judged', bid: '0', ask: '100', impact: undefined, allowed: false },
  ])('$name → allowed $allowed', ({ bid, ask, impact, allowed }) => {
    const { risk } = setup();
    const decision = risk.validateSlippage({
      symbol: 'BTC-PERP',
      bid: dec(bid),
      ask: dec(ask),
      ...(impact === undefined ? {} : { impactBps: dec(impact) }),
    });
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) {
      expect(decision.code).toBe('SLIPPAGE');
      expect(decision.reason).toContain('BTC-PERP');
    }
  });

  it('names the numbers when it refuses', () => {
    const decision = evaluateSlippage({ symbol: 'ETH-PERP', bid: dec('99.5'), ask: dec('100.5') }, dec(50));
    expect(decision).toEqual({
      allowed: false,
      code: 'SLIPPAGE',
      reason: 'ETH-PERP: expected slippage 100 bps (spread 100 + impact 0) exceeds the guard of 50 bps',
    });
  });

  it('a guard of 0 disables the check', () => {
    const { risk } = setup({ slippageGuardBps: 0 });
    expect(risk.validateSlippage({ symbol: 'BTC-PERP', bid: dec(90), ask: dec(110) }).allowed).toBe(true);
  });
});
