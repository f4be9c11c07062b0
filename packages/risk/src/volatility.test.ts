import type { Decimal } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK_CONFIG } from './risk-config.js';
import { dec, setup } from './test-utils.js';
import { annualisedVolatility, breakerAction, sampleStdev } from './volatility.js';

/**
 * 20 marks whose 19 returns alternate +x, −x, +x, … (10 of +x, 9 of −x). Then mean = x/19, the deviations are
 * 18x/19 (ten times) and −20x/19 (nine times), the sum of squares is 6840x²/361, and the sample stdev is
 * x·√(6840/361/18) — so the annualised volatility is x·√(6840/6498)·√252 ≈ 16.29·x.
 */
function alternatingMarks(x: string, count = 20): Decimal[] {
  const marks = [dec(100)];
  for (let i = 1; i < count; i += 1) {
    const prev = marks[i - 1] ?? dec(100);
    marks.push(prev.times(i % 2 === 1 ? dec(1).plus(x) : dec(1).minus(x)));
  }
  return marks;
}
const expectedVol = (x: number): number => x * Math.sqrt(6840 / 361 / 18) * Math.sqrt(252);

describe('volatility statistics', () => {
  it('sampleStdev is the n − 1 standard deviation', () => {
    // Textbook set: population stdev 2, sum of squared deviations 32, so the sample stdev is √(32/7).
    expect(sampleStdev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(sampleStdev([5])).toBe(0);
  });

  it('annualises the stdev of returns over the window', () => {
    expect(annualisedVolatility(alternatingMarks('0.01'), 20)).toBeCloseTo(expectedVol(0.01), 9);
  });

  it('uses only the last `window` marks', () => {
    const calm = Array.from({ length: 30 }, () => dec(100));
    expect(annualisedVolatility([...calm, ...alternatingMarks('0.01')], 20)).toBeCloseTo(expectedVol(0.01), 9);
  });

  it('does not judge with fewer marks than the window, or fewer than 10 usable returns', () => {
    expect(annualisedVolatility(alternatingMarks('0.01', 19), 20)).toBeUndefined();
    // Zero at every even index: a return from a zero mark is unusable, leaving 9 returns (into the zeros).
    const broken = alternatingMarks('0.01').map((m, i) => (i % 2 === 0 ? dec(0) : m));
    expect(annualisedVolatility(broken, 20)).toBeUndefined();
  });

  it.each([
    [0.1499, 'none'],
    [0.15, 'warning'],
    [0.1999, 'warning'],
    [0.2, 'reduce_only'],
    [0.25, 'kill_switch'],
  ] as const)('volatility %s → %s (thresholds inclusive)', (vol, action) => {
    expect(breakerAction(vol, DEFAULT_RISK_CONFIG)).toBe(action);
  });
});

describe('checkVolatilityCircuitBreaker', () => {
  const on = { enableVolatilityCircuitBreaker: true };
  // 16.29·x: x = 0.005 → 0.081, 0.01 → 0.163, 0.013 → 0.212, 0.02 → 0.326
  it.each([
    { x: '0.005', action: 'none', reduceOnly: false, kill: false },
    { x: '0.01', action: 'warning', reduceOnly: false, kill: false },
    { x: '0.013', action: 'reduce_only', reduceOnly: true, kill: false },
    { x: '0.02', action: 'kill_switch', reduceOnly: false, kill: true },
  ])('returns alternating ±$x → $action', ({ x, action, reduceOnly, kill }) => {
    const { risk, events } = setup(on);
    const outcome = risk.checkVolatilityCircuitBreaker('BTC-PERP', alternatingMarks(x));
    expect(outcome.action).toBe(action);
    expect(outcome.volatility).toBeCloseTo(expectedVol(Number(x)), 9);
    expect(risk.reduceOnlyMode).toBe(reduceOnly);
    expect(risk.killSwitchEnabled).toBe(kill);
    if (reduceOnly) expect(risk.reduceOnlyReason).toBe('volatility_circuit_breaker');
    const fired = events.ofType('volatility_circuit_breaker');
    expect(fired).toHaveLength(action === 'none' ? 0 : 1);
    if (fired[0]) expect(fired[0].payload).toMatchObject({ symbol: 'BTC-PERP', action });
  });

  it('is off by default', () => {
    const { risk } = setup();
    expect(risk.checkVolatilityCircuitBreaker('BTC-PERP', alternatingMarks('0.02'))).toMatchObject({
      action: 'none',
      volatility: undefined,
    });
    expect(risk.killSwitchEnabled).toBe(false);
  });

  it('stays quiet for the cooldown after firing, per symbol, and may fire again at exactly the cooldown', () => {
    const { risk, clock, events } = setup(on);
    const marks = alternatingMarks('0.01');
    expect(risk.checkVolatilityCircuitBreaker('BTC-PERP', marks).triggered).toBe(true);
    clock.advance(30 * 60_000 - 1);
    expect(risk.checkVolatilityCircuitBreaker('BTC-PERP', marks)).toMatchObject({
      triggered: false,
      coolingDown: true,
    });
    expect(risk.checkVolatilityCircuitBreaker('ETH-PERP', marks).triggered).toBe(true);
    clock.advance(1);
    expect(risk.checkVolatilityCircuitBreaker('BTC-PERP', marks).triggered).toBe(true);
    expect(events.ofType('volatility_circuit_breaker').map((e) => e.payload.symbol)).toEqual([
      'BTC-PERP',
      'ETH-PERP',
      'BTC-PERP',
    ]);
  });
});
