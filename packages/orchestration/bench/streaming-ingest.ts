// Streaming ingest benchmark: ticker messages per second from raw frame (JSON text, parsed with JSON.parse)
// to window update and event record (in-memory event store), legacy loop vs StreamingService, in one run.
// Run: pnpm --filter @perps-bot/orchestration bench [-- <messages>]. Never part of `pnpm test`.
//
// It lives in orchestration, not market-data, because it compares the StreamingService (market-data) with
// the legacy loop (orchestration), and market-data must not depend on orchestration.
import { performance } from 'node:perf_hooks';
import { ManualClock, MemoryEventStore, silentLogger, type MarketDataStreamSource, type StreamMessage } from '@perps-bot/core';
import { MarketActivityMonitor, MarketDataService, MarkWindows, StreamingService } from '@perps-bot/market-data';
import { LiveRiskManager } from '@perps-bot/risk';
import { startLegacyStream, stopLegacyStream } from '../src/legacy-stream-loop.js';

const MESSAGES = Number(process.argv[2] ?? 250_000);
const ROUNDS = 5;
const SYMBOLS = ['BTC-USD', 'ETH-USD', 'SOL-USD', 'XRP-USD'];
const BASE = [50_000, 3_000, 150, 0.5];

/** Coinbase Advanced Trade ticker frames, as the socket delivers them (built before timing starts). */
function tickerFrames(count: number): string[] {
  const frames: string[] = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const s = i % SYMBOLS.length;
    const mid = (BASE[s] as number) * (1 + ((i % 997) - 498) / 100_000);
    const bid = (mid * 0.99995).toFixed(s === 3 ? 5 : 2);
    const ask = (mid * 1.00005).toFixed(s === 3 ? 5 : 2);
    frames[i] = JSON.stringify({
      type: 'ticker',
      sequence: i,
      product_id: SYMBOLS[s],
      price: mid.toFixed(s === 3 ? 5 : 2),
      open_24h: '49000.00',
      volume_24h: '12345.678',
      low_24h: '48000.00',
      high_24h: '51000.00',
      best_bid: bid,
      best_bid_size: '0.25',
      best_ask: ask,
      best_ask_size: '0.40',
      side: i % 2 === 0 ? 'buy' : 'sell',
      time: '2026-03-01T12:00:00.000000Z',
      trade_id: i,
      last_size: '0.001',
    });
  }
  return frames;
}

/** Parses each frame when the consumer asks for it; after the last one, reports drained and idles until aborted. */
function frameSource(frames: readonly string[], drained: () => void): MarketDataStreamSource {
  const open = (signal?: AbortSignal): AsyncIterable<StreamMessage> => ({
    [Symbol.asyncIterator]: () => {
      let i = 0;
      return {
        next: (): Promise<IteratorResult<StreamMessage>> => {
          if (i < frames.length) return Promise.resolve({ value: JSON.parse(frames[i++] as string) as StreamMessage, done: false });
          drained();
          return new Promise((resolve) => signal?.addEventListener('abort', () => resolve({ value: undefined, done: true }), { once: true }));
        },
      };
    },
  });
  return { streamOrderbook: (_s, _l, signal) => open(signal), streamTrades: (_s, signal) => open(signal) };
}

interface Round {
  /** Wall time, and CPU time of the process (user + system): the latter is what "one core" buys. */
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly events: number;
  readonly marks: number;
}

async function runOnce(kind: 'legacy' | 'new', frames: readonly string[]): Promise<Round> {
  const clock = new ManualClock();
  const events = new MemoryEventStore({ clock });
  const windows = new MarkWindows();
  const risk = new LiveRiskManager({ clock });
  const monitor = new MarketActivityMonitor(SYMBOLS, { clock });
  let drained: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (drained = resolve));
  const source = frameSource(frames, () => drained());
  const shortMa = 5;
  const longMa = 20;

  const started = performance.now();
  const cpu = process.cpuUsage();
  const elapsed = () => {
    const used = process.cpuUsage(cpu);
    return { seconds: (performance.now() - started) / 1000, cpuSeconds: (used.user + used.system) / 1e6 };
  };
  if (kind === 'legacy') {
    const handle = startLegacyStream(
      {
        source: () => source,
        markWindows: windows,
        shortMa,
        longMa,
        riskManager: () => risk,
        eventStore: () => events,
        marketMonitor: monitor,
        logger: silentLogger,
        clock,
        botId: 'perps_bot',
      },
      SYMBOLS,
      1,
    );
    await done;
    const time = elapsed();
    await stopLegacyStream(handle, silentLogger);
    return { ...time, events: events.count(), marks: windows.size('BTC-USD') };
  }
  const marketData = new MarketDataService({
    symbols: SYMBOLS,
    broker: () => ({ getQuote: async () => null }),
    riskManager: () => risk,
    logger: silentLogger,
    clock,
    shortMa,
    longMa,
    markWindows: windows,
  });
  const service = new StreamingService({
    symbols: SYMBOLS,
    source: () => source,
    marketDataService: marketData,
    riskManager: () => risk,
    eventStore: () => events,
    marketMonitor: monitor,
    logger: silentLogger,
    clock,
  });
  service.start(1);
  await done;
  const time = elapsed();
  await service.stop();
  return { ...time, events: events.count(), marks: windows.size('BTC-USD') };
}

const median = (xs: number[]): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const frames = tickerFrames(MESSAGES);
  // Warm both paths up (JIT) on a slice, then alternate full rounds so drift hits both alike.
  await runOnce('legacy', frames.slice(0, 20_000));
  await runOnce('new', frames.slice(0, 20_000));
  const rates: Record<'legacy' | 'new', number[]> = { legacy: [], new: [] };
  const cpuRates: Record<'legacy' | 'new', number[]> = { legacy: [], new: [] };
  for (let r = 0; r < ROUNDS; r++) {
    for (const kind of r % 2 === 0 ? (['legacy', 'new'] as const) : (['new', 'legacy'] as const)) {
      const round = await runOnce(kind, frames);
      // Every frame is a valid ticker: one ws_mark_update each, plus ws_stream_exit; windows trimmed to 25.
      if (round.events !== MESSAGES + 1 || round.marks !== 25) {
        throw new Error(`${kind} round ${r}: ${round.events} events, ${round.marks} marks; expected ${MESSAGES + 1} and 25`);
      }
      rates[kind].push(MESSAGES / round.seconds);
      cpuRates[kind].push(MESSAGES / round.cpuSeconds);
    }
  }
  const legacy = median(cpuRates.legacy);
  const candidate = median(cpuRates.new);
  const line = (name: string, kind: 'legacy' | 'new') =>
    `  ${name.padEnd(17)} ${fmt(median(cpuRates[kind])).padStart(9)} msg/s per CPU-second | wall ${fmt(median(rates[kind])).padStart(9)} msg/s` +
    `  (CPU rounds: ${cpuRates[kind].map(fmt).join(', ')})`;
  console.log(`streaming ingest: ${fmt(MESSAGES)} ticker frames per round, ${ROUNDS} rounds each, medians, Node ${process.version}`);
  console.log(line('legacy loop', 'legacy'));
  console.log(line('StreamingService', 'new'));
  console.log(`  ratio new/legacy  ${(candidate / legacy).toFixed(2)}x per CPU-second, ${(median(rates.new) / median(rates.legacy)).toFixed(2)}x wall`);
  console.log(`  target ≥ 100,000 msg/s per core for the StreamingService: ${candidate >= 100_000 ? 'met' : 'NOT met'}`);
}

await main();
