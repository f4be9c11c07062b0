import { Decimal, midPrice, parseDecimal, type Quote } from '@perps-bot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamFrameGuard } from './frame-guard.js';

describe('StreamFrameGuard: products not subscribed', () => {
  it.each([['NaN'], ['1'], ['SOL-USD'], [''], [42], [undefined]])(
    'drops and counts an item for product %j',
    (product) => {
      const guard = new StreamFrameGuard(['BTC-USD']);
      expect(guard.admit({ product_id: product, price: '1' })).toBeUndefined();
      expect(guard.stats.unsubscribedFrames).toBe(1);
      expect(Object.values(guard.stats.unsubscribedByProduct)).toEqual([1]);
    },
  );

  it('lets a subscribed product through unchanged', () => {
    const guard = new StreamFrameGuard(['BTC-USD']);
    const item = { product_id: 'BTC-USD', best_bid: '1', best_ask: '3', price: '2' };
    expect(guard.admit(item)).toBe(item);
    expect(guard.stats).toMatchObject({ unsubscribedFrames: 0, booksWithoutMid: 0 });
  });

  it('counts per product up to a bound, the rest as "(other)"', () => {
    const guard = new StreamFrameGuard(['BTC-USD']);
    for (let i = 0; i < 150; i++) guard.admit({ product_id: `X${i}`, price: '1' });
    guard.admit({ product_id: 'X0', price: '1' });
    expect(guard.stats.unsubscribedFrames).toBe(151);
    expect(Object.keys(guard.stats.unsubscribedByProduct)).toHaveLength(101);
    expect(guard.stats.unsubscribedByProduct['X0']).toBe(2);
    expect(guard.stats.unsubscribedByProduct['(other)']).toBe(50);
  });
});

describe('StreamFrameGuard: a mid only from a sane book', () => {
  it.each([
    ['bid −1 / ask 2', { best_bid: '-1', best_ask: '2' }],
    ['a zero bid', { best_bid: '0', best_ask: '140' }],
    ['a crossed book', { best_bid: '102', best_ask: '101' }],
    ['a side that overflows', { best_bid: '1', best_ask: '1e9000000000000001' }],
    ['plain bid/ask, negative', { bid: '-5', ask: '7' }],
    ['one side only', { best_bid: '100' }],
  ])('removes the book from %s and keeps the trade price', (_name, book) => {
    const guard = new StreamFrameGuard(['BTC-USD']);
    expect(guard.admit({ product_id: 'BTC-USD', ...book, price: '100.5', type: 'ticker' })).toEqual({
      product_id: 'BTC-USD',
      price: '100.5',
      type: 'ticker',
    });
    expect(guard.stats.booksWithoutMid).toBe(1);
  });
});

describe('StreamFrameGuard.admitQuote (CoinbaseMarketDataStream.quotes)', () => {
  const q = (symbol: string, bid: string, ask: string, last: string): Quote => ({
    symbol,
    bid: new Decimal(bid),
    ask: new Decimal(ask),
    last: new Decimal(last),
    ts: new Date('2026-04-07T14:30:00Z'),
  });

  it('admits a sane quote for a subscribed product', () => {
    expect(new StreamFrameGuard(['BTC-USD']).admitQuote(q('BTC-USD', '1', '3', '2'))).toBe(true);
  });

  it('refuses and counts a quote for another product, one without a mid, and one with a non-positive last', () => {
    const guard = new StreamFrameGuard(['BTC-USD']);
    expect(guard.admitQuote(q('NaN', '1', '3', '2'))).toBe(false);
    expect(guard.admitQuote(q('BTC-USD', '-1', '2', '1'))).toBe(false);
    expect(guard.admitQuote(q('BTC-USD', '1', '3', '0'))).toBe(false);
    expect(guard.stats).toMatchObject({ unsubscribedFrames: 1, booksWithoutMid: 2 });
  });
});

describe('StreamFrameGuard: the fast book check agrees with core midPrice', () => {
  it('keeps or strips a book exactly when midPrice(parseDecimal(bid), parseDecimal(ask)) has or has not a mid', () => {
    const side = fc.oneof(
      fc.stringMatching(/^-?\d{1,9}(\.\d{1,8})?$/),
      fc.stringMatching(/^\d{1,20}\.\d{1,20}$/),
      fc.constantFrom('0', '0.0', '', '.', '5.', '0x10', ' 7', '1e3', '1e9000000000000001', 'NaN', '-0'),
      fc.double(),
      fc.integer(),
    );
    fc.assert(
      fc.property(side, side, (bid, ask) => {
        const guard = new StreamFrameGuard(['BTC-USD']);
        const admitted = guard.admit({ product_id: 'BTC-USD', best_bid: bid, best_ask: ask, price: '1' });
        const expected = midPrice(parseDecimal(bid), parseDecimal(ask)) !== undefined;
        expect(admitted !== undefined && 'best_bid' in admitted).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });
});
