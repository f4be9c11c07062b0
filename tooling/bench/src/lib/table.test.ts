import { describe, expect, it } from 'vitest';
import { fmt, table, times } from './table.js';

describe('bench table', () => {
  it('formats numbers with separators and size-dependent decimals', () => {
    expect(fmt(1234567.8)).toBe('1,234,568');
    expect(fmt(12.345)).toBe('12.3');
    expect(fmt(1.2345)).toBe('1.23');
    expect(fmt(Number.NaN)).toBe('—');
    expect(times(48.25)).toBe('48.3×');
    expect(fmt(5)).toBe('5');
  });

  it('keeps a numeric column right-aligned when some of its cells are empty', () => {
    expect(
      table(
        ['n', 'x'],
        [
          ['a', 1000],
          ['b', ''],
        ],
      )
        .split('\n')
        .slice(2),
    ).toEqual(['| a | 1,000 |', '| b |       |']);
  });

  it('aligns numeric columns right and text left, under a header rule', () => {
    const out = table(
      ['path', 'ms'],
      [
        ['legacy', 1020.5],
        ['new', 21.25],
      ],
    ).split('\n');
    expect(out).toEqual(['| path   |    ms |', '|--------|-------|', '| legacy | 1,021 |', '| new    |  21.3 |']);
  });
});
