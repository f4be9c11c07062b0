import { describe, expect, it } from 'vitest';
import { readBooleanFlag, readMarketDataMode } from './flags.js';

describe('feature flags', () => {
  it.each([
    [undefined, 'new'],
    ['true', 'new'],
    [' TRUE ', 'new'],
    ['shadow', 'shadow'],
    ['Shadow', 'shadow'],
    ['false', 'legacy'],
    ['1', 'legacy'],
    ['', 'legacy'],
  ])('USE_NEW_MARKET_DATA_SERVICE=%j → %s', (value, mode) => {
    expect(readMarketDataMode(value === undefined ? {} : { USE_NEW_MARKET_DATA_SERVICE: value })).toBe(mode);
  });

  it('boolean flags default when unset and are on only for "true"', () => {
    expect(readBooleanFlag('X', true, {})).toBe(true);
    expect(readBooleanFlag('X', false, {})).toBe(false);
    expect(readBooleanFlag('X', true, { X: 'yes' })).toBe(false);
    expect(readBooleanFlag('X', false, { X: 'True' })).toBe(true);
  });
});
