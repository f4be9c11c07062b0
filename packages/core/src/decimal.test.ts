import { describe, expect, it } from 'vitest';
import { Decimal, decimalToString, parseDecimal, sumDecimals } from './decimal.js';

describe('parseDecimal', () => {
  it.each([
    ['50000.0', '50000'],
    ['0.1', '0.1'],
    [' 12 ', '12'],
    ['-1.5', '-1.5'],
    ['1e-8', '0.00000001'],
  ])('parses %j', (input, expected) => {
    expect(parseDecimal(input)?.toFixed()).toBe(expected);
  });

  it.each([null, undefined, '', 'abc', '1.2.3', '0x10', Number.NaN, Number.POSITIVE_INFINITY, {}, [], true])(
    'refuses %j',
    (input) => {
      expect(parseDecimal(input)).toBeUndefined();
    },
  );

  it('goes through the decimal text of a number, not its binary value', () => {
    expect(
      parseDecimal(0.1)
        ?.plus(parseDecimal(0.2) as Decimal)
        .toFixed(),
    ).toBe('0.3');
  });

  it('sums exactly and prints without exponent', () => {
    expect(decimalToString(sumDecimals(['0.1', '0.2', '1e-9'].map((s) => new Decimal(s))))).toBe('0.300000001');
  });

  it('keeps 40 significant digits, where decimal.js alone would round to 20', () => {
    const notional = new Decimal('123456789.123456789').times('1234.56789012');
    expect(notional.toFixed()).toBe('152415787669.13581219672002468');
    expect(new Decimal('123456789012345678901234567890').plus('0.5').toFixed()).toBe(
      '123456789012345678901234567890.5',
    );
  });
});
