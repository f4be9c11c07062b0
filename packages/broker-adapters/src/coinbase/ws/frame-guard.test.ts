import { describe, expect, it } from 'vitest';
import { StreamFrameGuard } from './frame-guard.js';

describe('StreamFrameGuard: products not subscribed', () => {
  it.each([['NaN'], ['1'], ['SOL-USD'], [''], [42], [undefined]])('drops and counts an item for product %j', (product) => {
    const guard = new StreamFrameGuard(['BTC-USD']);
    expect(guard.admit({ product_id: product, price: '1' })).toBeUndefined();
    expect(guard.stats.unsubscribedFrames).toBe(1);
    expect(Object.values(guard.stats.unsubscribedByProduct)).toEqual([1]);
  });

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
