import {
  Decimal,
  ManualClock,
  MemoryEventStore,
  MemoryLogger,
  type MarketDataStreamSource,
  type StreamMessage,
} from '@perps-bot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MarketDataService } from '../market-data-service.js';
import { MarkWindows } from '../mark-windows.js';
import { StreamingService } from './streaming-service.js';
import { RecordingRiskSink } from './test-utils.js';

const SYMBOLS = ['A-USD', 'B-USD'];

/** A stream whose every message is delivered when the scheduler says so; idle after the last until aborted. */
function scheduledSource(s: fc.Scheduler, messages: readonly unknown[]): MarketDataStreamSource {
  const open = (signal?: AbortSignal): AsyncIterable<StreamMessage> => {
    let i = 0;
    return {
      [Symbol.asyncIterator]: () => ({
        next: (): Promise<IteratorResult<StreamMessage>> => {
          if (i < messages.length) {
            const value = messages[i++] as StreamMessage;
            return s.schedule(Promise.resolve({ value, done: false as const }), `ws#${i}`);
          }
          return new Promise((resolve) =>
            signal?.addEventListener('abort', () => resolve({ value: undefined, done: true }), { once: true }),
          );
        },
        return: async (): Promise<IteratorResult<StreamMessage>> => ({ value: undefined, done: true }),
      }),
    };
  };
  return {
    streamOrderbook: (_symbols, _level, signal) => open(signal),
    streamTrades: (_symbols, signal) => open(signal),
  };
}

// A streamed message: a valid ticker (unique price) or something the service must skip.
const streamMessage = fc.oneof(
  { weight: 4, arbitrary: fc.record({ symbol: fc.constantFrom(...SYMBOLS), valid: fc.constant(true) }) },
  { weight: 1, arbitrary: fc.record({ symbol: fc.constantFrom(...SYMBOLS), valid: fc.constant(false) }) },
);

describe('REST and streaming updates on one MarkWindows, in every order', () => {
  it('lose no accepted mark and keep every window within its limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
        fc.array(streamMessage, { maxLength: 12 }),
        fc.integer({ min: 1, max: 4 }),
        async (s, restRounds, restValid, streamSpec, longMa) => {
          const windows = MarkWindows.forAverages(1, longMa);
          const clock = new ManualClock();
          const logger = new MemoryLogger();
          const risk = new RecordingRiskSink();
          const events = new MemoryEventStore({ clock });
          const limit = longMa + 5;
          const accepted: string[] = [];
          const appended = new Map<string, string[]>();
          const oversize: string[] = [];
          windows.observe((e) => {
            appended.set(e.symbol, [...(appended.get(e.symbol) ?? []), e.mark.toFixed()]);
            if (e.size > e.limit || e.size > limit) oversize.push(e.symbol);
          });

          // REST: every call answers a unique price when valid, null when not; the scheduler picks when.
          let call = 0;
          const broker = {
            getQuote: s.scheduleFunction(async (_symbol: string) => {
              const n = call++;
              if (!restValid[n % restValid.length]) return null;
              accepted.push(String(1_000 + n));
              return { last: new Decimal(1_000 + n) } as never;
            }),
          };
          const marketData = new MarketDataService({
            symbols: SYMBOLS,
            broker: () => broker,
            riskManager: () => risk,
            logger,
            clock,
            markWindows: windows,
          });

          const messages = streamSpec.map((m, j) => {
            if (!m.valid) return { product_id: m.symbol, type: 'heartbeats' };
            accepted.push(String(5_000 + j));
            return { product_id: m.symbol, price: String(5_000 + j) };
          });
          const streaming = new StreamingService({
            symbols: SYMBOLS,
            source: () => scheduledSource(s, messages),
            markWindows: windows,
            riskManager: () => risk,
            eventStore: () => events,
            logger,
            clock,
          });

          streaming.start(1);
          const rest = Promise.all(Array.from({ length: restRounds }, () => marketData.updateMarks()));
          await s.waitFor(rest);
          await s.waitAll();
          await streaming.stop();

          const allAppended = [...appended.values()].flat();
          expect(oversize).toEqual([]);
          expect([...allAppended].sort()).toEqual([...accepted].sort());
          expect(risk.writes).toHaveLength(accepted.length);
          for (const symbol of SYMBOLS) {
            const order = appended.get(symbol) ?? [];
            expect((windows.get(symbol) ?? []).map((d) => d.toFixed())).toEqual(order.slice(-limit));
          }
          expect(logger.at('error').every((r) => r.message.startsWith('Error updating mark for'))).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });
});
