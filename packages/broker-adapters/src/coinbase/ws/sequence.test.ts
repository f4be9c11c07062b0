import { describe, expect, it } from 'vitest';
import { SequenceTracker } from './sequence.js';

describe('SequenceTracker', () => {
  it('accepts the next number, reports jumps as gaps and repeats as duplicates', () => {
    const tracker = new SequenceTracker();
    expect([0, 1, 2].map((n) => tracker.check(n).kind)).toEqual(['next', 'next', 'next']);
    expect(tracker.check(6)).toEqual({ kind: 'gap', expected: 3, received: 6, missed: 3 });
    expect(tracker.check(6).kind).toBe('duplicate');
    expect(tracker.check(4).kind).toBe('duplicate');
    expect(tracker.check(7).kind).toBe('next');
  });

  it('starts wherever the connection starts', () => {
    expect(new SequenceTracker().check(41).kind).toBe('next');
  });
});
