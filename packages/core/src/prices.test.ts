import { describe, expect, it } from 'vitest';
import { Decimal, parseDecimal } from './decimal.js';
import { ErrorCodes } from './errors.js';
import { InvalidPriceError, isUsablePrice, midPrice, priceRefusal, requirePrice } from './prices.js';

describe('parseDecimal on text out of decimal.js range', () => {
  it('refuses an exponent that overflows to Infinity', () => {
    expect(parseDecimal('1e9000000000000001')).toBeUndefined();
    expect(parseDecimal('-1e9000000000000001')).toBeUndefined();
  });

  it('still parses a large exponent that stays finite', () => {
    expect(parseDecimal('1e300')?.toFixed()).toBe(`1${'0'.repeat(300)}`);
  });
});

describe('requirePrice', () => {
  it('returns the decimal for a finite positive price in every input form', () => {
    expect(requirePrice('50000.5', 'last of BTC-USD').toFixed()).toBe('50000.5');
    expect(requirePrice(0.1, 'x').toFixed()).toBe('0.1');
    expect(requirePrice(new Decimal('7'), 'x').toFixed()).toBe('7');
  });

  it.each([
    ['1e9000000000000001', 'non-finite'],
    [new Decimal(Infinity), 'non-finite'],
    [Number.POSITIVE_INFINITY, 'non-finite'],
    ['0', 'not-positive'],
    ['-1', 'not-positive'],
    ['1e-9000000000000001', 'not-positive'],
    ['abc', 'not-a-decimal'],
    [null, 'not-a-decimal'],
    [Number.NaN, 'not-a-decimal'],
  ] as const)('refuses %j as %s with a typed error naming the source', (value, reason) => {
    expect(priceRefusal(value)).toBe(reason);
    let thrown: unknown;
    try {
      requirePrice(value, 'last of BTC-USD');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidPriceError);
    expect((thrown as InvalidPriceError).code).toBe(ErrorCodes.BAD_PRICE);
    expect((thrown as InvalidPriceError).reason).toBe(reason);
    expect((thrown as Error).message).toContain('last of BTC-USD');
  });

  it('isUsablePrice is true only for finite decimals above zero', () => {
    expect(isUsablePrice(new Decimal('0.00000001'))).toBe(true);
    expect(isUsablePrice(new Decimal(0))).toBe(false);
    expect(isUsablePrice(new Decimal(Infinity))).toBe(false);
    expect(isUsablePrice(new Decimal(NaN))).toBe(false);
    expect(isUsablePrice(undefined)).toBe(false);
  });
});

describe('midPrice', () => {
  const d = (s: string): Decimal => new Decimal(s);

  it('is the exact mid of two positive sides with bid ≤ ask', () => {
    expect(midPrice(d('100'), d('101'))?.toFixed()).toBe('100.5');
    expect(midPrice(d('5'), d('5'))?.toFixed()).toBe('5');
  });

  it.each([
    ['-1', '2'],
    ['0', '140'],
    ['3', '2'],
    ['1', 'Infinity'],
  ])('has no mid for bid %s / ask %s', (bid, ask) => {
    expect(midPrice(d(bid), d(ask))).toBeUndefined();
  });

  it('has no mid when a side is missing', () => {
    expect(midPrice(undefined, d('1'))).toBeUndefined();
    expect(midPrice(d('1'), null)).toBeUndefined();
  });
});
