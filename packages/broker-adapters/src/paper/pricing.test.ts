import { Decimal, ErrorCodes, QuoteError, type Quote } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { executablePrice, limitFillPrice, requireTradableQuote } from './pricing.js';

const quote = (bid: string, ask: string): Quote => ({
  symbol: 'BTC-PERP',
  bid: new Decimal(bid),
  ask: new Decimal(ask),
  last: new Decimal('100'),
  ts: new Date('2026-04-07T14:30:00Z'),
});
const none = new Decimal(0);

describe('paper pricing: fills only on a sane book', () => {
  it('fills on two positive sides with bid ≤ ask', () => {
    expect(executablePrice('BUY', quote('99', '101'), none).toFixed()).toBe('101');
    expect(executablePrice('SELL', quote('99', '101'), none).toFixed()).toBe('99');
  });

  it.each([
    ['a negative bid', '-1', '2'],
    ['a zero bid', '0', '101'],
    ['a crossed book', '102', '101'],
    ['an infinite ask', '99', 'Infinity'],
  ])('refuses %s with a BAD_QUOTE error instead of a fill price', (_name, bid, ask) => {
    for (const side of ['BUY', 'SELL'] as const) {
      let thrown: unknown;
      try {
        executablePrice(side, quote(bid, ask), none);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(QuoteError);
      expect((thrown as QuoteError).code).toBe(ErrorCodes.BAD_QUOTE);
      expect(() => limitFillPrice(side, new Decimal('100'), quote(bid, ask), none)).toThrow(/no usable book/);
    }
    expect(() => requireTradableQuote(quote(bid, ask))).toThrow(QuoteError);
  });
});
