import { Decimal, parseDecimal } from '@perps-bot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastMidFromText, isDecimalText, streamDecimal } from './decimal-text.js';

describe('streamDecimal', () => {
  it.each(['1', '-1', '+2.5', '.5', '5.', '1e5', '1E-5', '  50000.10 ', '0'])('accepts %j', (text) => {
    expect(streamDecimal(text)?.toString()).toBe(parseDecimal(text)?.toString());
    expect(streamDecimal(text)).toBeDefined();
  });

  it.each(['', ' ', '.', '-', 'e5', '1e', '1e+', 'abc', '1.2.3', 'NaN', 'Infinity', '1_000', '0x10', '1 2'])(
    'rejects %j',
    (text) => {
      expect(isDecimalText(text.trim())).toBe(false);
      expect(streamDecimal(text)).toBeUndefined();
    },
  );

  it('refuses text whose exponent overflows to Infinity (the issue-11 price "1e9000000000000001")', () => {
    expect(streamDecimal('1e9000000000000001')).toBeUndefined();
    expect(streamDecimal('-1e9000000000000001')).toBeUndefined();
  });

  it('answers like core parseDecimal for any JSON value or decimal-looking text', () => {
    const decimalish = fc.stringMatching(/^\s?[+-]?\d{0,4}\.?\d{0,3}([eE][+-]?\d{0,2})?\s?$/);
    fc.assert(
      fc.property(fc.oneof(decimalish, fc.string(), fc.jsonValue(), fc.double()), (value) => {
        expect(streamDecimal(value)?.toString()).toBe(parseDecimal(value)?.toString());
      }),
      { numRuns: 2000 },
    );
  });
});

describe('fastMidFromText', () => {
  it('computes the mid exactly for plain ticker text', () => {
    expect(fastMidFromText('50000.10', '50000.30')?.toFixed()).toBe('50000.2');
    expect(fastMidFromText('1', '2')?.toFixed()).toBe('1.5');
    expect(fastMidFromText('0.00001', '0.3')?.toFixed()).toBe('0.150005');
    expect(fastMidFromText('-5', '1')?.toFixed()).toBe('-2');
    expect(fastMidFromText('.5', '1')?.toFixed()).toBe('0.75');
  });

  it.each([
    ['1e3', '1'],
    ['+1', '1'],
    [' 1', '1'],
    ['1.', '1'],
    ['abc', '1'],
    ['', '1'],
    ['123456789012345', '1'],
  ])('leaves %j / %j to the general path', (bid, ask) => {
    expect(fastMidFromText(bid, ask)).toBeUndefined();
  });

  it('equals Decimal (bid + ask) / 2 whenever it answers', () => {
    const text = fc
      .tuple(
        fc.boolean(),
        fc.stringMatching(/^\d{1,9}$/),
        fc.option(fc.stringMatching(/^\d{1,7}$/), { nil: undefined }),
      )
      .map(([neg, int, frac]) => `${neg ? '-' : ''}${int}${frac === undefined ? '' : `.${frac}`}`);
    fc.assert(
      fc.property(text, text, (bid, ask) => {
        const fast = fastMidFromText(bid, ask);
        const slow = new Decimal(bid).plus(ask).div(2);
        if (fast !== undefined) expect(fast.equals(slow) && fast.toFixed() === slow.toFixed()).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
