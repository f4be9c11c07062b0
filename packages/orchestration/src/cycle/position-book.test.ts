import { Decimal, type Position } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { heldIn, PositionBook } from './position-book.js';

const pos = (symbol: string, quantity: string): Position => ({
  symbol,
  quantity: new Decimal(quantity),
  entryPrice: new Decimal(100),
  markPrice: new Decimal(100),
  unrealizedPnl: new Decimal(0),
  realizedPnl: new Decimal(0),
  leverage: null,
  side: quantity.startsWith('-') ? 'short' : 'long',
});
const d = (v: string) => new Decimal(v);

describe('PositionBook', () => {
  it('stays unsettled while positions answers lag our fill, and settles when one shows it', () => {
    const book = new PositionBook();
    book.observe([pos('X', '2')]);
    book.expectFill('X', d('2'), 'SELL', d('2'));
    expect(book.isSettled('X')).toBe(false);
    expect(book.observe([pos('X', '2')])).toEqual([]);
    expect(book.observe([pos('X', '2')])).toEqual([]);
    expect(book.isSettled('X')).toBe(false);
    expect(book.laggingReads('X')).toBe(2);
    expect(book.believed('X')?.toFixed()).toBe('0');
    expect(book.observe([])).toEqual([]);
    expect(book.isSettled('X')).toBe(true);
  });

  it('reports a change it did not cause as drift with both sides, except while the symbol is in doubt', () => {
    const book = new PositionBook();
    book.observe([pos('X', '1')]);
    expect(book.observe([pos('X', '3')], (s) => s === 'X')).toEqual([]);
    expect(book.observe([pos('X', '-1')])).toEqual([
      { symbol: 'X', bot: '3', exchange: '-1', reason: 'external_change' },
    ]);
  });

  it('an answer that is neither the old size nor the expected one is drift, and then the truth', () => {
    const book = new PositionBook();
    book.observe([pos('X', '1')]);
    book.expectFill('X', d('1'), 'BUY', d('1'));
    expect(book.observe([pos('X', '5')])).toEqual([
      { symbol: 'X', bot: '2', exchange: '5', reason: 'unexpected_after_fill' },
    ]);
    expect(book.isSettled('X')).toBe(true);
    expect(book.believed('X')?.toFixed()).toBe('5');
  });

  it('reads short positions as negative sizes', () => {
    expect(heldIn([pos('X', '-3')], 'X').toFixed()).toBe('-3');
    expect(heldIn([{ ...pos('X', '3'), side: 'short' }], 'X').toFixed()).toBe('-3');
    expect(heldIn([], 'X').toFixed()).toBe('0');
  });
});
