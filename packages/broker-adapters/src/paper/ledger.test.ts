import { Decimal } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { applyFill, FLAT, reducesOnly, type PaperHolding } from './ledger.js';

const d = (v: string | number) => new Decimal(v);
const ONE = d(1);
const show = (h: PaperHolding) => [h.quantity.toFixed(), h.entry.toFixed(), h.realized.toFixed()];

describe('applyFill', () => {
  it('opens, averages the entry when adding, and realizes when reducing', () => {
    let step = applyFill(FLAT, 'BUY', d(1), d(100), ONE);
    expect(show(step.holding)).toEqual(['1', '100', '0']);
    step = applyFill(step.holding, 'BUY', d(3), d(104), ONE);
    expect(show(step.holding)).toEqual(['4', '103', '0']);
    step = applyFill(step.holding, 'SELL', d(1), d(110), ONE);
    expect(step.realized.toFixed()).toBe('7');
    expect(show(step.holding)).toEqual(['3', '103', '7']);
  });

  it('closes and reopens on the other side at the fill price when the fill crosses zero', () => {
    const long = applyFill(FLAT, 'BUY', d(2), d(100), ONE).holding;
    const flipped = applyFill(long, 'SELL', d(5), d(90), ONE);
    expect(flipped.realized.toFixed()).toBe('-20');
    expect(show(flipped.holding)).toEqual(['-3', '90', '-20']);
    const covered = applyFill(flipped.holding, 'BUY', d(3), d(80), ONE);
    expect(covered.realized.toFixed()).toBe('30');
    expect(show(covered.holding)).toEqual(['0', '0', '10']);
  });

  it('scales realized P&L by the contract size (CFM nano BTC = 0.01)', () => {
    const long = applyFill(FLAT, 'BUY', d(10), d(68000), d('0.01')).holding;
    expect(applyFill(long, 'SELL', d(10), d(69000), d('0.01')).realized.toFixed()).toBe('100');
  });
});

describe('reducesOnly', () => {
  const long = applyFill(FLAT, 'BUY', d(2), d(100), ONE).holding;
  it('allows only orders that shrink the position', () => {
    expect(reducesOnly(long, 'SELL', d(1))).toBe(true);
    expect(reducesOnly(long, 'SELL', d(2))).toBe(true);
    expect(reducesOnly(long, 'SELL', d('2.1'))).toBe(false);
    expect(reducesOnly(long, 'BUY', d(1))).toBe(false);
    expect(reducesOnly(FLAT, 'SELL', d(1))).toBe(false);
  });
});
