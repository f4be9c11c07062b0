import type { Decimal } from '@perps-bot/core';
import { MarkWindows } from '@perps-bot/market-data';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  runStreamingInterleaving,
  streamingInterleavingProperty,
  type StreamTargetFactory,
} from './rest-and-streaming-service.js';

/**
 * A StreamingService target that awaits between reading a window and writing it back (what appending from
 * a stream without the synchronous MarketDataService.updateMarkWindow could look like). It loses marks when
 * a REST update lands in the gap: the harness must find that.
 */
const readAwaitWrite: StreamTargetFactory = ({ windows, scheduler, intend }) =>
  ({
    append: (symbol: string, mark: Decimal) => {
      intend(symbol, mark);
      const before = windows.get(symbol) ?? [];
      void scheduler.schedule(Promise.resolve(), `gap ${symbol} ${mark.toFixed()}`).then(() => {
        windows.delete(symbol);
        // The class's own append: the store's instance append would count these re-writes as new intents.
        for (const m of [...before, mark]) MarkWindows.prototype.append.call(windows, symbol, m);
      });
    },
  }) as unknown as MarkWindows;

describe('REST updates and the real StreamingService on one MarkWindows, in every order the scheduler explores', () => {
  it('lose no accepted mark, keep every window within its limit, and stop cleanly', async () => {
    await fc.assert(streamingInterleavingProperty(), { numRuns: 200 });
  });

  it('catch a stream append that awaits between read and write (the property can fail)', async () => {
    const result = await fc.check(streamingInterleavingProperty(readAwaitWrite), { numRuns: 200, seed: 7 });
    expect(result.failed).toBe(true);
    expect(String(result.errorInstance)).toMatch(/is not the newest \d+ applied marks/);
  });
});

// An ordering that broke an invariant, kept as a regression test. Found by the test above against the
// read-await-write target (seed 7) and shrunk to one symbol, one REST quote and one connection of two frames:
//   BTC-PERP: window ["20000","10000"] is not the newest 6 applied marks ["20000","20001","10000"]
// Both frames read the empty window before either writes; the second write-back lands first and the first
// one overwrites it, so 20001 is lost. Kept as fast-check's seed/path and as the plan with the exact
// release order (schedulerFor), since a seed/path replay stops pointing at this case once an arbitrary changes.
const LOST_STREAM_MARK = { seed: 7, path: '1:0:0:0:0:0:0:0:2:0:0:0:3:3:3' };
const LOST_STREAM_MARK_PLAN = {
  symbols: ['BTC-PERP'],
  shortMa: 1,
  longMa: 1,
  restRounds: 1,
  validity: [],
  concurrency: 1,
  prefilled: 0,
  connections: [
    {
      frames: [
        { symbol: 0, kind: 'trade' as const },
        { symbol: 0, kind: 'ticker' as const },
      ],
      ending: 'disconnect' as const,
    },
  ],
};
// With the racy target: task 1 and 4 are the frames, 3 and 5 their write-backs, 2 the REST quote, 6 the drop, 7 the reconnect wait.
const lostStreamMarkOrder = () => fc.schedulerFor()`
  -> [task${1}] promise::ws c0 #0 trade BTC-PERP 20000 resolved
  -> [task${4}] promise::ws c0 #1 ticker BTC-PERP 20001 resolved
  -> [task${5}] promise::gap BTC-PERP 20001 resolved
  -> [task${3}] promise::gap BTC-PERP 20000 resolved
  -> [task${6}] promise::ws c0 disconnect resolved
  -> [task${2}] promise::quote BTC-PERP 10000 resolved
  -> [task${7}] promise::reconnect wait 1000 ms resolved`;
// The same events in the same order with the real service, which schedules no write-back: frames 1 and 3, drop 4, quote 2, wait 5.
const sameOrderRealService = () => fc.schedulerFor()`
  -> [task${1}] promise::ws c0 #0 trade BTC-PERP 20000 resolved
  -> [task${3}] promise::ws c0 #1 ticker BTC-PERP 20001 resolved
  -> [task${4}] promise::ws c0 disconnect resolved
  -> [task${2}] promise::quote BTC-PERP 10000 resolved
  -> [task${5}] promise::reconnect wait 1000 ms resolved`;

describe('replayed orderings (REST and the StreamingService)', () => {
  it('seed/path: the run that lost a streamed mark with read-await-write still fails, and passes with the real service', async () => {
    const racy = await fc.check(streamingInterleavingProperty(readAwaitWrite), {
      ...LOST_STREAM_MARK,
      endOnFailure: true,
    });
    expect(racy.failed).toBe(true);
    expect(String(racy.errorInstance)).toMatch(/BTC-PERP: window .* is not the newest 6 applied marks/);
    const real = await fc.check(streamingInterleavingProperty(), { ...LOST_STREAM_MARK, endOnFailure: true });
    expect(real.failed).toBe(false);
  });

  it('exact order: two frames read before either writes back, and the first write-back wins', async () => {
    const { problems } = await runStreamingInterleaving(lostStreamMarkOrder(), LOST_STREAM_MARK_PLAN, readAwaitWrite);
    expect(problems).toEqual([
      'BTC-PERP: window ["20000","10000"] is not the newest 6 applied marks ["20000","20001","10000"]',
    ]);
  });

  it('exact order: the same events in the same order lose nothing with the real StreamingService', async () => {
    const outcome = await runStreamingInterleaving(sameOrderRealService(), LOST_STREAM_MARK_PLAN);
    // Both frames, then the quote: the order the scheduler was told to release them in.
    expect(outcome).toEqual({ problems: [], windows: { 'BTC-PERP': ['20000', '20001', '10000'] } });
  });
});
