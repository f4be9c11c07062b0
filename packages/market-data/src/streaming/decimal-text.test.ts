import { parseDecimal } from '@perps-bot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDecimalText, streamDecimal } from './decimal-text.js';

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
