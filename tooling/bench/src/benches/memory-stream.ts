import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, silentLogger, type MarketDataStreamSource, type StreamMessage } from '@perps-bot/core';
import { MarketDataService, MarkWindows } from '@perps-bot/market-data';
import { LiveRiskManager } from '@perps-bot/risk';
import { DEFAULT_TICK_RETENTION_ROWS as RETENTION_ROWS } from '@perps-bot/stores';
import { openShippedStore } from '../lib/shipped-store.js';
import { fmt, table } from '../lib/table.js';
import { verdict } from '../lib/verdict.js';
import { botStreaming } from '../lib/window-writer.js';

/** 10M is the goal; the default run is shorter so `pnpm bench` stays minutes long. BENCH_STREAM_TICKS=10000000 for the goal's count. */
const TICKS = Number(process.env.BENCH_STREAM_TICKS ?? 1_000_000);
const SYMBOLS = Array.from({ length: 10 }, (_, i) => `MEMS${i}-PERP-INTX`);
const SAMPLES = 10;

const heapMb = (): number => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

/** Flattened ticker texts made one at a time (never held), parsed with JSON.parse as the adapter's decoder does. */
function lazySource(count: number, onTick: (i: number) => void, drained: () => void): MarketDataStreamSource {
  const open = (signal?: AbortSignal): AsyncIterable<StreamMessage> => ({
    [Symbol.asyncIterator]: () => {
      let i = 0;
      return {
        next: (): Promise<IteratorResult<StreamMessage>> => {
          if (i < count) {
            i += 1;
            onTick(i);
            const price = (50_000 + ((i * 7919) % 2_000) / 100).toFixed(2);
            const text = `{"type":"ticker","product_id":"${SYMBOLS[i % SYMBOLS.length]}","price":"${price}","best_bid":"${price}","best_ask":"${price}","channel":"ticker","event_type":"update","sequence_num":${i},"timestamp":"2026-04-07T14:30:03.123456Z"}`;
            return Promise.resolve({ value: JSON.parse(text) as StreamMessage, done: false });
          }
          drained();
          return new Promise((resolve) =>
            signal?.addEventListener('abort', () => resolve({ value: undefined, done: true }), { once: true }),
          );
        },
      };
    },
  });
  return { streamOrderbook: (_s, _l, signal) => open(signal), streamTrades: (_s, signal) => open(signal) };
}

/**
 * Heap over many ticks through the consumer side of the stream path with the real store: StreamingService →
 * window + risk manager + SqliteEventStore (as the app opens it, with the shipped tickRetentionRows). Frames are
 * parsed in process (no socket). Heap sampled after a GC at every tenth of the run.
 */
export async function benchMemoryStream(): Promise<boolean> {
  console.log(
    `\n## Memory, whole stream path with the real store: ${fmt(TICKS)} ticks${TICKS < 10_000_000 ? ' (reduced default; BENCH_STREAM_TICKS=10000000 for the 10M goal)' : ''}, ${SYMBOLS.length} symbols`,
  );
  console.log(
    `configuration: StreamingService + MarkWindows + LiveRiskManager + SqliteEventStore (defaults, tickRetention maxRows ${fmt(RETENTION_ROWS)}); ticker frames made and JSON.parsed in process, no socket`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'perps-bench-mem-'));
  const clock = new ManualClock();
  const file = join(dir, 'events.sqlite');
  const events = openShippedStore(file, clock);
  const markWindows = MarkWindows.forAverages(20, 50);
  const risk = new LiveRiskManager({ clock });
  const service = new MarketDataService({
    symbols: SYMBOLS,
    broker: () => ({ getQuote: async () => null }),
    riskManager: () => risk,
    logger: silentLogger,
    clock,
    markWindows,
  });
  const every = Math.max(1, Math.floor(TICKS / SAMPLES));
  const samples: { ticks: number; mb: number }[] = [{ ticks: 0, mb: heapMb() }];
  let drained: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (drained = resolve));
  const source = lazySource(
    TICKS,
    (i) => {
      if (i % 1_000 === 0) clock.advance(1_000); // retention prunes at most once a (store clock) second
      // Sampled inside the run: the source resolves in microtasks, so no timer would fire until it ends.
      if (i % every === 0) samples.push({ ticks: i, mb: heapMb() });
    },
    () => drained(),
  );
  const streaming = botStreaming({
    symbols: SYMBOLS,
    source,
    markWindows: service.markWindows,
    risk,
    events,
    clock,
  });
  const started = performance.now();
  streaming.start(1);
  await done;
  events.flush();
  const seconds = (performance.now() - started) / 1000;
  await streaming.stop();
  const rows = events.count();
  events.close();
  const diskMb = statSync(file).size / 1024 / 1024;
  rmSync(dir, { recursive: true, force: true });
  const steady = samples.slice(1);
  const firstMb = (steady[0] as { mb: number }).mb;
  const lastMb = (steady[steady.length - 1] as { mb: number }).mb;
  const maxMb = Math.max(...steady.map((s) => s.mb));
  console.log(
    table(
      ['ticks', 'heapUsed MB'],
      samples.map((s) => [fmt(s.ticks), fmt(s.mb, 2)]),
    ),
  );
  console.log(
    table(
      ['heap first MB', 'heap last MB', 'heap max MB', 'growth last ÷ first', 'rows kept', 'file MB', 'ticks/s'],
      [
        [
          fmt(firstMb, 2),
          fmt(lastMb, 2),
          fmt(maxMb, 2),
          `${fmt(lastMb / firstMb, 3)}×`,
          rows,
          fmt(diskMb, 1),
          TICKS / seconds,
        ],
      ],
    ),
  );
  return verdict(
    `flat heap over ${fmt(TICKS)} ticks, whole stream path with the SQLite store (growth < 1.1×)`,
    lastMb / firstMb < 1.1,
    `${fmt(firstMb, 2)} → ${fmt(lastMb, 2)} MB (${fmt(lastMb / firstMb, 3)}×), max ${fmt(maxMb, 2)} MB`,
  );
}
