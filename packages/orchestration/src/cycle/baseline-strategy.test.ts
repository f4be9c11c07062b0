import { Decimal } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { BaselineStrategy, type BaselineStrategyConfig } from './baseline-strategy.js';
import type { DecisionAction, StrategyInput } from './decision.js';
import { long, perpProduct, short, strategyInput } from './test-utils.js';

const config: BaselineStrategyConfig = {
  shortMa: 2,
  longMa: 3,
  targetLeverage: 2,
  trailingStopPct: 0.01,
  enableShorts: false,
};
const withShorts = { ...config, enableShorts: true };

// With short 2 / long 3 a decision needs 4 marks. The last mark is the current one.
// [10,10,10,11]: before, short 10 = long 10 (diff 0 ≤ ε); now short 10.5 > long 10.33 → bullish.
// [10,10,10,9]: the mirror → bearish. [10,11,12,13]: short above long both before and now → no new crossover.
const UP = [10, 10, 10, 11];
const DOWN = [10, 10, 10, 9];
// The same crossings within 0.5%, so a position's 1% trailing stop stays out of the way.
const UP_SMALL = [100, 100, 100, '100.5'];
const DOWN_SMALL = [100, 100, 100, '99.5'];

const cases: Array<[string, BaselineStrategyConfig, StrategyInput, DecisionAction, RegExp]> = [
  ['crossover up with no position buys', config, strategyInput(UP), 'BUY', /bullish MA crossover/],
  ['crossover down with shorts disabled holds', config, strategyInput(DOWN), 'HOLD', /shorts are disabled/],
  ['crossover down with shorts enabled sells', withShorts, strategyInput(DOWN), 'SELL', /bearish MA crossover/],
  ['one mark short of long+1 holds', config, strategyInput([10, 10, 11]), 'HOLD', /Insufficient data: 3 of 4 marks/],
  ['a trend with no new crossover holds', config, strategyInput([10, 11, 12, 13]), 'HOLD', /No crossover/],
  ['flat marks hold', config, strategyInput([10, 10, 10, 10]), 'HOLD', /No crossover/],
  [
    'crossover down against a long closes',
    config,
    strategyInput(DOWN_SMALL, { position: long('1', '100') }),
    'CLOSE',
    /bearish crossover against the long/,
  ],
  [
    'crossover up against a short closes',
    config,
    strategyInput(UP_SMALL, { position: short('1', '100') }),
    'CLOSE',
    /bullish crossover against the short/,
  ],
  [
    'crossover up while long holds',
    config,
    strategyInput(UP_SMALL, { position: long('1', '100') }),
    'HOLD',
    /Holding long/,
  ],
  ['reduce-only mode never opens', { ...config, reduceOnly: true }, strategyInput(UP), 'HOLD', /reduce-only/],
  [
    'a long 1% under its entry is stopped out',
    config,
    strategyInput([100, 100, 100, 99], { position: long('1', '100') }),
    'CLOSE',
    /Trailing stop: 99 ≤ 99/,
  ],
  [
    'a long 0.9% under its entry is kept',
    config,
    strategyInput([103, 102, 101, '99.1'], { position: long('1', '100') }),
    'HOLD',
    /Holding long/,
  ],
  [
    'a short 1% above its entry is stopped out',
    config,
    strategyInput([100, 100, 100, 101], { position: short('1', '100') }),
    'CLOSE',
    /Trailing stop: 101 ≥ 101/,
  ],
  [
    'the stop applies even before there are enough marks',
    config,
    strategyInput([99], { position: long('1', '100') }),
    'CLOSE',
    /Trailing stop/,
  ],
];

describe('BaselineStrategy', () => {
  it.each(cases)('%s', (_name, cfg, input, action, reason) => {
    const decision = new BaselineStrategy(cfg).decide(input);
    expect(decision.action).toBe(action);
    expect(decision.reason).toMatch(reason);
    if (action === 'CLOSE') expect(decision.reduceOnly).toBe(true);
  });

  it('trails the best price since entry across cycles, not just the entry', () => {
    const strategy = new BaselineStrategy(config);
    const position = long('1', '100');
    const step = (mark: string) => strategy.decide(strategyInput([mark], { position })).action;
    expect(step('110')).toBe('HOLD'); // new peak 110
    expect(step('109')).toBe('HOLD'); // 0.9% off the peak
    expect(step('108.9')).toBe('CLOSE'); // 110 × 0.99
  });

  it('forgets the peak once the position is gone', () => {
    const strategy = new BaselineStrategy(config);
    strategy.decide(strategyInput(['120'], { position: long('1', '100') }));
    strategy.decide(strategyInput(['118']));
    // A new position entered at 100: the old peak of 120 must not stop it out at 110.
    expect(strategy.decide(strategyInput(['110'], { position: long('1', '100') })).action).toBe('HOLD');
  });

  it.each([
    ['a perpetual', perpProduct(), '10000'],
    ['a future (CFM)', perpProduct('BIP-20DEC30-CDE', { marketType: 'FUTURE' }), '10000'],
    ['spot', perpProduct('BTC-USD', { marketType: 'SPOT' }), '5000'],
  ])('sizes an entry on %s as equity × 0.05 × leverage (leverage only for derivatives)', (_name, product, notional) => {
    const decision = new BaselineStrategy(config).decide(strategyInput(UP, { product, equity: new Decimal(100000) }));
    expect(decision.targetNotional?.toFixed()).toBe(notional);
  });

  it('uses PERPS_POSITION_FRACTION when given', () => {
    const decision = new BaselineStrategy({ ...config, positionFraction: 0.1 }).decide(strategyInput(UP));
    expect(decision.targetNotional?.toFixed()).toBe('20000');
  });

  it('honours ε: a crossing smaller than the dead band is no signal', () => {
    // now: short 10.5, long 10.333…: diff 0.1667 ≈ 161 bp of the long MA.
    expect(new BaselineStrategy({ ...config, epsilonBps: 200 }).decide(strategyInput(UP)).action).toBe('HOLD');
    expect(new BaselineStrategy({ ...config, epsilonBps: 100 }).decide(strategyInput(UP)).action).toBe('BUY');
  });
});
