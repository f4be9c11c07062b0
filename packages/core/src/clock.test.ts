import { describe, expect, it } from 'vitest';
import { ManualClock, isValidDate } from './clock.js';
import { PerpsBotError, QuoteError, describeError } from './errors.js';

describe('ManualClock', () => {
  it('moves only when told', () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:00.000Z');
    clock.advance(1500);
    expect(clock.now().toISOString()).toBe('2026-01-01T00:00:01.500Z');
    clock.set('2026-02-01T00:00:00Z');
    expect(clock.now().toISOString()).toBe('2026-02-01T00:00:00.000Z');
  });

  it('refuses an invalid time', () => {
    expect(() => new ManualClock('not a time')).toThrow(RangeError);
    expect(isValidDate(new Date('nope'))).toBe(false);
    expect(isValidDate('2026-01-01')).toBe(false);
  });
});

describe('typed errors', () => {
  it('carry a stable code, the symbol and the cause', () => {
    const error = new QuoteError('BAD_QUOTE', 'BTC-USD', 'bad');
    expect(error).toBeInstanceOf(PerpsBotError);
    expect(error.code).toBe('BAD_QUOTE');
    expect(error.details).toEqual({ symbol: 'BTC-USD' });
    const wrapped = new PerpsBotError('NETWORK', 'down', { cause: error });
    expect(wrapped.cause).toBe(error);
    expect(describeError(wrapped)).toBe('down');
    expect(describeError({ a: 1 })).toBe('{"a":1}');
  });
});
