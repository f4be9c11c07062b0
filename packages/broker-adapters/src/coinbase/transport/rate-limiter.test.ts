import { ConfigError, ManualClock } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { TokenBucket } from './rate-limiter.js';

function bucket(ratePerSecond: number) {
  const clock = new ManualClock('2026-04-07T14:30:00.000Z');
  const waits: number[] = [];
  const limiter = new TokenBucket({
    ratePerSecond,
    clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock.advance(ms);
    },
  });
  return { limiter, clock, waits };
}

describe('TokenBucket', () => {
  it('lets a burst of one second through, then paces at the rate', async () => {
    const { limiter, clock, waits } = bucket(10);
    const start = clock.now().getTime();
    for (let i = 0; i < 10; i++) await limiter.acquire();
    expect(waits).toEqual([]);
    for (let i = 0; i < 20; i++) await limiter.acquire();
    // 20 more requests at 10/s take two seconds of (fake) time, never less.
    expect(clock.now().getTime() - start).toBeGreaterThanOrEqual(2_000);
    expect(clock.now().getTime() - start).toBeLessThan(2_100);
    expect(waits.every((ms) => ms <= 100)).toBe(true);
  });

  it('serves concurrent callers in arrival order', async () => {
    const { limiter } = bucket(2);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3, 4].map((i) => limiter.acquire().then(() => order.push(i))));
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('refills with elapsed time up to the burst', async () => {
    const { limiter, clock } = bucket(30);
    for (let i = 0; i < 30; i++) await limiter.acquire();
    expect(limiter.available).toBeLessThan(1);
    clock.advance(500);
    expect(limiter.available).toBeCloseTo(15, 5);
    clock.advance(60_000);
    expect(limiter.available).toBe(30);
  });

  it('stops waiting when the caller aborts, without blocking the next caller', async () => {
    const { limiter } = bucket(1);
    await limiter.acquire();
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(limiter.acquire(controller.signal)).rejects.toThrow('stop');
    await expect(limiter.acquire()).resolves.toBeUndefined();
  });
});

describe('TokenBucket settings', () => {
  it('refuses a rate that is not positive with a ConfigError naming it', () => {
    expect(() => bucket(0)).toThrow(ConfigError);
  });
});
