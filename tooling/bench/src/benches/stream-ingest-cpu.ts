import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCoinbaseMarketDataStream, readFrame } from '@perps-bot/broker-adapters';
import {
  ManualClock,
  MemoryEventStore,
  silentLogger,
  systemClock,
  type EventStore,
  type Logger,
  type MarketDataStreamSource,
  type StreamMessage,
} from '@perps-bot/core';
import { MarketActivityMonitor, MarkWindows } from '@perps-bot/market-data';
import { startLegacyStream, stopLegacyStream } from '@perps-bot/orchestration';
import { LiveRiskManager } from '@perps-bot/risk';
import { SqliteEventStore } from '@perps-bot/stores';
import { inProcessSocket } from '../lib/in-process-socket.js';
import { openShippedStore, SHIPPED_STORE } from '../lib/shipped-store.js';
import { startSimProcess, type SimProcess } from '../lib/sim-process.js';
import { median } from '../lib/stats.js';
import { fmt, table, times } from '../lib/table.js';
import { verdict } from '../lib/verdict.js';
import { botStreaming, windowWriter } from '../lib/window-writer.js';

const SYMBOLS = Array.from({ length: 10 }, (_, i) => `ING${i}-PERP-INTX`);
const FLOOR_FRAMES = 100_000;
const SOCKET_FRAMES = 60_000;
const RUNS = 3;
/** Frames of the unmeasured pass before the in-process runs. */
const WARM_UP_FRAMES = 20_000;

const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
};

/** Advanced Trade ticker envelopes as the exchange (and the simulator) sends them: one ticker per frame. */
function tickerEnvelopes(count: number): string[] {
  const out = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const price = (50_000 + ((i * 7919) % 2_000) / 100).toFixed(2);
    out[i] = JSON.stringify({
      channel: 'ticker',
      client_id: '',
      timestamp: '2026-04-07T14:30:03.123456Z',
      sequence_num: i + 1,
      events: [
        {
          type: 'update',
          tickers: [
            {
              type: 'ticker',
              product_id: SYMBOLS[i % SYMBOLS.length],
              price,
              volume_24_h: '15328.1',
              low_24_h: '49500',
              high_24_h: '50500',
              low_52_w: '25000',
              high_52_w: '73800',
              price_percent_chg_24_h: '1.85',
              best_bid: price,
              best_bid_quantity: '1.5',
              best_ask: (Number(price) + 0.5).toFixed(2),
              best_ask_quantity: '0.5',
            },
          ],
        },
      ],
    });
  }
  return out;
}

const ENVELOPE_BODIES = tickerEnvelopes(1_000).map((text) => text.replace(/"sequence_num":\d+,/, ''));

/**
 * Envelope `i` made fresh, as a socket hands over a new string per frame: one of 1,000 ticker envelopes (10
 * symbols, 100 prices) with `sequence_num` i + 1 spliced in, so the client's sequence tracking sees no gap and
 * no frame text outlives its frame (a bench holding 100k frame texts inflates every GC).
 */
function freshEnvelope(i: number): string {
  const body = ENVELOPE_BODIES[i % ENVELOPE_BODIES.length] as string;
  return `{"sequence_num":${i + 1},${body.slice(1)}`;
}

/** CPU-seconds for `work` over every frame (best of RUNS after a warm-up pass): frames per CPU-second. */
function perCpuSecond<T>(frames: readonly T[], work: (frame: T) => unknown): number[] {
  for (let i = 0; i < Math.min(frames.length, 20_000); i++) work(frames[i] as T);
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const cpu = process.cpuUsage();
    for (let i = 0; i < frames.length; i++) work(frames[i] as T);
    rates.push(frames.length / cpuSeconds(cpu));
  }
  return rates;
}

/** Counts the WebSocket client's "consumer is behind; dropped" warnings, to say whether every frame arrived. */
function dropCounter(): { logger: Logger; dropped: () => number } {
  let dropped = 0;
  const logger: Logger = {
    ...silentLogger,
    warn: (message, fields) => {
      if (message.includes('dropped')) dropped += typeof fields?.dropped === 'number' ? fields.dropped : 1;
    },
  };
  return { logger, dropped: () => dropped };
}

interface SocketRun {
  readonly frames: number;
  readonly cpuSeconds: number;
  readonly dropped: number;
}

/** The simulator the socket runs read from: still prices, no auth, no heartbeats, the bench's symbols. */
export function startIngestSim(): Promise<SimProcess> {
  return startSimProcess([
    '--seed',
    '1',
    '--tick-ms',
    '0',
    '--no-auth',
    '--heartbeat-ms',
    '60000',
    '--products',
    SYMBOLS.join(','),
  ]);
}

/**
 * The bot's stream path in this process over a loopback socket from the simulator (its own process, so its
 * work is not counted): the Coinbase WS client with its defaults (decoder, sequence tracking, queue, maxQueue
 * as shipped) → StreamingService → window + risk manager + the event store. Only this process's CPU is counted.
 */
export async function socketRun(sim: SimProcess, store: 'sqlite' | 'none'): Promise<SocketRun> {
  const dir = mkdtempSync(join(tmpdir(), 'perps-bench-'));
  const events: EventStore | undefined = store === 'sqlite' ? openShippedStore(join(dir, 'events.sqlite')) : undefined;
  const { markWindows, service } = windowWriter(SYMBOLS);
  const risk = new LiveRiskManager({ clock: systemClock });
  const drops = dropCounter();
  const source = createCoinbaseMarketDataStream({ wsUrl: sim.wsUrl, logger: drops.logger });
  let appended = 0;
  markWindows.observe(() => {
    appended += 1;
  });
  const streaming = botStreaming({
    symbols: SYMBOLS,
    source,
    markWindows: service.markWindows,
    risk,
    events,
    clock: systemClock,
  });
  streaming.start(1);
  while (appended < SYMBOLS.length) await new Promise((r) => setTimeout(r, 5));
  const start = appended;
  const cpu = process.cpuUsage();
  const sent = (await sim.control<{ sent: number }>('pump', { count: SOCKET_FRAMES })).sent;
  let last = -1;
  while (appended - start < sent && appended !== last) {
    last = appended;
    await new Promise((r) => setTimeout(r, 300));
  }
  const used = cpuSeconds(cpu);
  await streaming.stop();
  if (events instanceof SqliteEventStore) events.close();
  rmSync(dir, { recursive: true, force: true });
  return { frames: appended - start, cpuSeconds: used, dropped: drops.dropped() };
}

/**
 * The bot's stream path in this process with no socket: the same envelopes handed to the Coinbase WS client's
 * `message` listener by an in-process socket (lib/in-process-socket.ts), then everything as shipped — the
 * adapter's decoder, sequence tracking, queue (default byte bound), flattening and frame guard →
 * StreamingService → MarkWindows + risk manager + the event store as the app opens it. Frames per CPU-second of
 * this process, all threads (the store's checkpoint worker included).
 */
export async function inProcessRun(count: number, store: 'sqlite' | 'none'): Promise<SocketRun> {
  const dir = mkdtempSync(join(tmpdir(), 'perps-bench-'));
  const events: EventStore | undefined = store === 'sqlite' ? openShippedStore(join(dir, 'events.sqlite')) : undefined;
  const { markWindows, service } = windowWriter(SYMBOLS);
  const risk = new LiveRiskManager({ clock: systemClock });
  const drops = dropCounter();
  const socket = inProcessSocket(count, freshEnvelope);
  const source = createCoinbaseMarketDataStream({
    wsUrl: 'ws://in-process',
    logger: drops.logger,
    webSocket: socket.factory,
  });
  let appended = 0;
  markWindows.observe(() => {
    appended += 1;
  });
  const streaming = botStreaming({
    symbols: SYMBOLS,
    source,
    markWindows: service.markWindows,
    risk,
    events,
    clock: systemClock,
  });
  const cpu = process.cpuUsage();
  streaming.start(1);
  await socket.delivered;
  while (appended + drops.dropped() < count) await new Promise((r) => setImmediate(r));
  if (events instanceof SqliteEventStore) events.flush();
  const used = cpuSeconds(cpu);
  await streaming.stop();
  if (events instanceof SqliteEventStore) events.close();
  rmSync(dir, { recursive: true, force: true });
  return { frames: appended, cpuSeconds: used, dropped: drops.dropped() };
}

/** Flattened tickers as the adapter's source yields them, parsed from text when the consumer asks for one. */
function parsedSource(texts: readonly string[], drained: () => void): MarketDataStreamSource {
  const open = (signal?: AbortSignal): AsyncIterable<StreamMessage> => ({
    [Symbol.asyncIterator]: () => {
      let i = 0;
      return {
        next: (): Promise<IteratorResult<StreamMessage>> => {
          if (i < texts.length)
            return Promise.resolve({ value: JSON.parse(texts[i++] as string) as StreamMessage, done: false });
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
 * The old orchestration bench, folded in: consumer side only (no socket, no decoder), the legacy stream loop vs
 * the StreamingService, each with window, risk, market monitor and the given event store. Frames per CPU-second.
 */
async function consumerRun(
  kind: 'legacy' | 'service',
  texts: readonly string[],
  store: 'sqlite' | 'memory',
): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'perps-bench-'));
  const clock = new ManualClock();
  const events: EventStore =
    store === 'sqlite' ? openShippedStore(join(dir, 'events.sqlite'), clock) : new MemoryEventStore({ clock });
  const markWindows = MarkWindows.forAverages(20, 50);
  const risk = new LiveRiskManager({ clock });
  const monitor = new MarketActivityMonitor(SYMBOLS, { clock });
  let drained: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (drained = resolve));
  const source = parsedSource(texts, () => drained());
  const cpu = process.cpuUsage();
  let seconds: number;
  if (kind === 'legacy') {
    const handle = startLegacyStream(
      {
        source: () => source,
        markWindows,
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
    if (events instanceof SqliteEventStore) events.flush();
    seconds = cpuSeconds(cpu);
    await stopLegacyStream(handle, silentLogger);
  } else {
    for (const symbol of SYMBOLS) markWindows.ensure(symbol); // what the MarketDataService does when PerpsBot builds it
    const streaming = botStreaming({
      symbols: SYMBOLS,
      source,
      markWindows,
      risk,
      events,
      marketMonitor: monitor,
      clock,
    });
    streaming.start(1);
    await done;
    if (events instanceof SqliteEventStore) events.flush();
    seconds = cpuSeconds(cpu);
    await streaming.stop();
  }
  if (events instanceof SqliteEventStore) events.close();
  rmSync(dir, { recursive: true, force: true });
  return texts.length / seconds;
}

/** One flattened ticker per envelope, as CoinbaseMarketDataStream.streamOrderbook yields it. */
function flattenedTickers(envelopes: readonly string[]): string[] {
  return envelopes.map((text) => {
    const e = JSON.parse(text) as {
      channel: string;
      sequence_num: number;
      timestamp: string;
      events: { type: string; tickers: Record<string, unknown>[] }[];
    };
    const event = e.events[0] as { type: string; tickers: Record<string, unknown>[] };
    return JSON.stringify({
      ...event.tickers[0],
      channel: e.channel,
      event_type: event.type,
      sequence_num: e.sequence_num,
      timestamp: e.timestamp,
    });
  });
}

/**
 * Stream ingest per CPU-second: the in-process floor (bare JSON.parse of the same envelopes), the adapter's
 * decoder alone, and the bot's whole path over a loopback socket with the shipped SQLite store.
 */
export async function benchStreamIngestCpu(): Promise<boolean> {
  console.log(
    `\n## Stream ingest per CPU-second (Advanced Trade ticker envelopes, ${SYMBOLS.length} symbols, best and median of ${RUNS} runs after a warm-up pass)`,
  );
  console.log(`configuration: shipped defaults — CoinbaseWsClient queue bound default, ${SHIPPED_STORE}`);
  let ok = true;
  const texts = tickerEnvelopes(FLOOR_FRAMES);
  const buffers = texts.map((t) => Buffer.from(t));
  const parse = perCpuSecond(texts, (t) => JSON.parse(t));
  const decode = perCpuSecond(buffers, (b) => {
    const frame = readFrame(b, silentLogger);
    if (frame.kind !== 'envelope') throw new Error('the decoder refused a good frame');
    return frame;
  });
  const flat = flattenedTickers(texts);
  const consumers: Record<string, number[]> = {};
  for (let r = 0; r < RUNS; r++) {
    for (const [kind, store] of [
      ['legacy', 'memory'],
      ['service', 'memory'],
      ['legacy', 'sqlite'],
      ['service', 'sqlite'],
    ] as const) {
      (consumers[`${kind} ${store}`] ??= []).push(await consumerRun(kind, flat, store));
    }
  }
  const sim = await startIngestSim();
  const inProcess: SocketRun[] = [];
  const inProcessBare: SocketRun[] = [];
  // A warm-up pass of each, as perCpuSecond does: a running bot's stream path is compiled, the first run was not.
  await inProcessRun(WARM_UP_FRAMES, 'sqlite');
  await inProcessRun(WARM_UP_FRAMES, 'none');
  for (let r = 0; r < RUNS; r++) {
    inProcess.push(await inProcessRun(FLOOR_FRAMES, 'sqlite'));
    inProcessBare.push(await inProcessRun(FLOOR_FRAMES, 'none'));
  }
  const withStore: SocketRun[] = [];
  const withoutStore: SocketRun[] = [];
  try {
    for (let r = 0; r < RUNS; r++) {
      withStore.push(await socketRun(sim, 'sqlite'));
      withoutStore.push(await socketRun(sim, 'none'));
    }
  } finally {
    await sim.stop();
  }
  const rate = (runs: SocketRun[]) => runs.map((x) => x.frames / x.cpuSeconds);
  const rows = [
    ['in-process floor: JSON.parse of the envelope text', Math.max(...parse), median(parse), times(1)],
    [
      'the adapter decoder (readFrame: Buffer → validated envelope)',
      Math.max(...decode),
      median(decode),
      times(median(decode) / median(parse)),
    ],
    ...(['legacy memory', 'service memory', 'legacy sqlite', 'service sqlite'] as const).map((k) => {
      const r = consumers[k] ?? [];
      const name = `${k.startsWith('legacy') ? 'legacy stream loop' : 'StreamingService'} in process (flattened tickers, JSON.parse source), ${k.endsWith('sqlite') ? 'SQLite store as shipped' : 'in-memory store'}`;
      return [name, Math.max(...r), median(r), times(median(r) / median(parse))];
    }),
    [
      `bot path in process (adapter WS client, decoder, sequence, queue → StreamingService), no event store (${fmt(FLOOR_FRAMES)} frames)`,
      Math.max(...rate(inProcessBare)),
      median(rate(inProcessBare)),
      times(median(rate(inProcessBare)) / median(parse)),
    ],
    [
      `bot path in process, SQLite event store as shipped (${fmt(FLOOR_FRAMES)} frames)`,
      Math.max(...rate(inProcess)),
      median(rate(inProcess)),
      times(median(rate(inProcess)) / median(parse)),
    ],
    [
      `bot path over loopback, no event store (${fmt(SOCKET_FRAMES)} frames)`,
      Math.max(...rate(withoutStore)),
      median(rate(withoutStore)),
      times(median(rate(withoutStore)) / median(parse)),
    ],
    [
      `bot path over loopback, SQLite event store as shipped (${fmt(SOCKET_FRAMES)} frames)`,
      Math.max(...rate(withStore)),
      median(rate(withStore)),
      times(median(rate(withStore)) / median(parse)),
    ],
  ];
  console.log(table(['path', 'best frames / CPU-s', 'median frames / CPU-s', 'vs JSON.parse'], rows));
  const all = [...inProcess, ...inProcessBare, ...withStore, ...withoutStore];
  const dropped = all.reduce((n, x) => n + x.dropped, 0);
  console.log(
    `frames reached the window: in process ${[...inProcess, ...inProcessBare].map((x) => fmt(x.frames)).join(', ')} of ${fmt(FLOOR_FRAMES)}; over loopback ${[...withStore, ...withoutStore].map((x) => fmt(x.frames)).join(', ')} of ${fmt(SOCKET_FRAMES)}; dropped by the queue: ${fmt(dropped)}`,
  );
  ok =
    verdict(
      'decoder ≥ 0.5× bare JSON.parse of the same frames',
      median(decode) / median(parse) >= 0.5,
      `${fmt(median(decode) / median(parse), 2)}×, ${fmt(median(decode))} vs ${fmt(median(parse))} frames/CPU-s`,
    ) && ok;
  ok =
    verdict(
      'stream ingest in process with the shipped SQLite store ≥ 100k frames per CPU-second',
      median(rate(inProcess)) >= 100_000,
      `${fmt(median(rate(inProcess)))} frames/CPU-s (median; ${fmt(median(rate(inProcessBare)))} without a store)`,
    ) && ok;
  // The same path behind a real socket: `ws` framing and the kernel's reads are this process's CPU too.
  ok =
    verdict(
      'stream ingest over loopback with the shipped SQLite store ≥ 100k frames per CPU-second',
      median(rate(withStore)) >= 100_000,
      `${fmt(median(rate(withStore)))} frames/CPU-s (median; ${fmt(median(rate(withoutStore)))} without a store)`,
    ) && ok;
  return ok;
}
