import { afterEach, describe, expect, it, vi } from 'vitest';
import { armDeadline, ExitCodes, SHUTDOWN_DEADLINE_MS } from './exit-codes.js';

afterEach(() => vi.useRealTimers());

describe('the shutdown deadline', () => {
  it('fires once the bound has passed, not before, and is within the documented 5 s', () => {
    vi.useFakeTimers();
    const expired = vi.fn();
    armDeadline(SHUTDOWN_DEADLINE_MS, expired);
    vi.advanceTimersByTime(SHUTDOWN_DEADLINE_MS - 1);
    expect(expired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(expired).toHaveBeenCalledTimes(1);
    expect(SHUTDOWN_DEADLINE_MS).toBeLessThanOrEqual(5_000);
  });

  it('a shutdown that finished in time cancels it', () => {
    vi.useFakeTimers();
    const expired = vi.fn();
    armDeadline(1_000, expired).cancel();
    vi.advanceTimersByTime(10_000);
    expect(expired).not.toHaveBeenCalled();
  });

  it('each cause has its own exit code', () => {
    const codes = Object.values(ExitCodes);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
