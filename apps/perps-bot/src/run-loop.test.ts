import { MemoryLogger } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { runLoop } from './run-loop.js';

describe('runLoop', () => {
  it('runs one cycle with singleCycle', async () => {
    let cycles = 0;
    const done = await runLoop({
      runCycle: async () => void cycles++,
      intervalMs: 10_000,
      singleCycle: true,
      signal: new AbortController().signal,
      logger: new MemoryLogger(),
    });
    expect([done, cycles]).toEqual([1, 1]);
  });

  it('on abort during a cycle, finishes that cycle and starts no other', async () => {
    const stop = new AbortController();
    const seen: number[] = [];
    const done = await runLoop({
      runCycle: async () => {
        seen.push(seen.length + 1);
        if (seen.length === 3) {
          stop.abort();
          await new Promise((resolve) => setImmediate(resolve)); // the cycle still completes
          seen.push(-1);
        }
      },
      intervalMs: 0,
      singleCycle: false,
      signal: stop.signal,
      logger: new MemoryLogger(),
    });
    expect(done).toBe(3);
    expect(seen).toEqual([1, 2, 3, -1]);
  });

  it('ends the wait between cycles at once on abort (a long interval does not delay shutdown)', async () => {
    const stop = new AbortController();
    const waiting = runLoop({
      runCycle: async () => undefined,
      intervalMs: 3_600_000,
      singleCycle: false,
      signal: stop.signal,
      logger: new MemoryLogger(),
    });
    await new Promise((resolve) => setImmediate(resolve));
    stop.abort();
    expect(await waiting).toBe(1);
  });

  it('logs a failed cycle and keeps going', async () => {
    const stop = new AbortController();
    const logger = new MemoryLogger();
    const failures: unknown[] = [];
    let n = 0;
    await runLoop({
      runCycle: async () => {
        n += 1;
        if (n === 1) throw new Error('exchange down');
        stop.abort();
      },
      intervalMs: 0,
      singleCycle: false,
      signal: stop.signal,
      logger,
      afterCycle: (_cycle, error) => failures.push(error),
    });
    expect(n).toBe(2);
    expect(logger.at('error').map((r) => r.message)).toEqual(['Cycle 1 failed: exchange down']);
    expect(failures.map((e) => (e as Error | undefined)?.message)).toEqual(['exchange down', undefined]);
  });
});

describe('runLoop limits', () => {
  it('stops after maxCycles, or as soon as shouldStop says so', async () => {
    const { silentLogger } = await import('@perps-bot/core');
    let runs = 0;
    const signal = new AbortController().signal;
    const counted = await runLoop({
      runCycle: async () => void runs++,
      intervalMs: 0,
      singleCycle: false,
      signal,
      logger: silentLogger,
      maxCycles: 3,
    });
    expect([counted, runs]).toEqual([3, 3]);
    const stopped = await runLoop({
      runCycle: async () => void runs++,
      intervalMs: 0,
      singleCycle: false,
      signal,
      logger: silentLogger,
      shouldStop: () => runs >= 5,
    });
    expect(stopped).toBe(2);
  });
});
