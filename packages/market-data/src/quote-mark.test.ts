import { Decimal, ManualClock, QuoteError } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { markFromQuote } from './quote-mark.js';

const clock = new ManualClock('2026-01-01T00:00:00Z');

describe('markFromQuote bad input', () => {
  it.each([
    ['a null quote', null, 'No quote for X'],
    ['a quote with no price', { ts: new Date() }, 'Quote missing price for X'],
    ['a non-numeric price', { last: 'abc' }, 'Invalid mark price: "abc" for X'],
    ['a negative price', { last: '-1' }, 'Invalid mark price: -1 for X'],
    ['a zero price', { last: '0' }, 'Invalid mark price: 0 for X'],
    ['NaN', { last: Number.NaN }, 'Invalid mark price: NaN for X'],
    ['Infinity', { last: Number.POSITIVE_INFINITY }, 'Invalid mark price: Infinity for X'],
    ['an object price', { last: {} }, 'Invalid mark price: [object Object] for X'],
  ])('rejects %s with a typed error naming the symbol', (_name, input, message) => {
    const run = () => markFromQuote('X', input, clock);
    expect(run).toThrow(QuoteError);
    expect(run).toThrow(message);
  });

  it('parses numbers through their decimal text, never through float arithmetic', () => {
    expect(markFromQuote('X', { last: 0.1 }, clock).mark.plus('0.2').toString()).toBe('0.3');
    expect(markFromQuote('X', { last: '50000.10' }, clock).mark.equals(new Decimal('50000.1'))).toBe(true);
  });
});
