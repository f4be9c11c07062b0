import { createCoinbaseMarketDataStream } from '@perps-bot/broker-adapters';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDecimal, systemClock, type MarketDataStreamSource } from '@perps-bot/core';
import type { MarketDataService } from '@perps-bot/market-data';
import { LiveRiskManager } from '@perps-bot/risk';
import { openShippedStore } from '../lib/shipped-store.js';
import { verdict } from '../lib/verdict.js';
import { tapStamps } from '../lib/frame-stamps.js';
import { startSimProcess, type SimProcess } from '../lib/sim-process.js';
import { percentile, ratio } from '../lib/stats.js';
import { fmt, table, times } from '../lib/table.js';
import { PlainWsTickerSource } from '../lib/ws-ticker-source.js';
import { botStreaming, windowWriter } from '../lib/window-writer.js';

const SYMBOLS = Array.from({ length: 10 }, (_, i) => `ING${i}-PERP-INTX`);
const SATURATED_FRAMES = 100_000;
const PACED_RATE = 5_000;
const PACED_SECONDS = 3;
const REST_SECONDS = 3;

/** What turns stream messages into window appends; resolves once the signal aborts and it has stopped. */
type IngestConsumer = (
  source: MarketDataStreamSource,
  symbols: readonly string[],
  service: MarketDataService,
  signal: AbortSignal,
) => Promise<void>;

/** One way from the socket to the window: the client that reads the socket and the consumer of its messages. */
interface IngestPath {
  readonly name: string;
  readonly source: (wsUrl: string) => MarketDataStreamSource;
  readonly consumer: IngestConsumer;
}

/** A bare `ws` client and a loop that reads Coinbase ticker envelopes itself: the floor of what ingest costs. */
const plainConsumer: IngestConsumer = async (source, symbols, service, signal) => {
  for await (const message of source.streamTrades(symbols, signal)) {
    if (message.channel !== 'ticker' || !Array.isArray(message.events)) continue;
    for (const event of message.events as { tickers?: { product_id?: unknown; price?: unknown }[] }[]) {
      for (const t of event.tickers ?? []) {
        const mark = parseDecimal(t.price);
        if (typeof t.product_id === 'string' && mark !== undefined && mark.greaterThan(0))
          service.updateMarkWindow(t.product_id, mark);
      }
    }
  }
};

/**
 * The bot's own path: the StreamingService on the adapter's Coinbase WebSocket source (validated envelopes,
 * sequence tracking, tickers flattened), each mark into the window, the risk manager's last-mark map and a
 * `ws_mark_update` metric in the SQLite event store opened as the app opens it, exactly as PerpsBot wires it.
 */
const streamingServiceConsumer: IngestConsumer = async (source, symbols, service, signal) => {
  const dir = mkdtempSync(join(tmpdir(), 'perps-bench-'));
  const events = openShippedStore(join(dir, 'events.sqlite'));
  const risk = new LiveRiskManager({ clock: systemClock });
  const streaming = botStreaming({
    symbols,
    source,
    markWindows: service.markWindows,
    risk,
    events,
    clock: systemClock,
  });
  streaming.start(1);
  await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  await streaming.stop();
  events.close();
  rmSync(dir, { recursive: true, force: true });
};

const INGEST_PATHS: readonly IngestPath[] = [
  { name: 'plain ws client → parse → window', source: (url) => new PlainWsTickerSource(url), consumer: plainConsumer },
  {
    name: 'Coinbase WS client (shipped maxQueue) → StreamingService → window + SQLite event store as shipped',
    source: (url) => createCoinbaseMarketDataStream({ wsUrl: url }),
    consumer: streamingServiceConsumer,
  },
];

const nowNs = () => process.hrtime.bigint();
const ms = (ns: bigint) => Number(ns) / 1e6;

interface Phase {
  readonly marks: number;
  readonly seconds: number;
  readonly latenciesMs: number[];
}

/** Runs one measurement window: the k-th append of a product is matched with the k-th stamped frame of it. */
async function ingest(sim: SimProcess, path: IngestPath, drive: () => Promise<number>): Promise<Phase> {
  const { markWindows, service } = windowWriter(SYMBOLS);
  const stamps = new Map<string, bigint[]>(SYMBOLS.map((s) => [s, []]));
  const heads = new Map<string, number>(SYMBOLS.map((s) => [s, 0]));
  const latencies: number[] = [];
  let appended = 0;
  let measuring = false;
  let firstNs = 0n;
  let lastNs = 0n;
  markWindows.observe(({ symbol }) => {
    const at = nowNs();
    const list = stamps.get(symbol) ?? [];
    const k = heads.get(symbol) ?? 0;
    heads.set(symbol, k + 1);
    const sent = list[k];
    if (!measuring || sent === undefined) return;
    if (appended === 0) firstNs = sent;
    appended += 1;
    lastNs = at;
    latencies.push(ms(at - sent));
  });
  const controller = new AbortController();
  const source = tapStamps(path.source(sim.wsUrl), (product, sent) => stamps.get(product)?.push(sent));
  const consuming = path.consumer(source, SYMBOLS, service, controller.signal);
  // Wait for the subscription snapshot (one append per symbol) before measuring.
  while ([...heads.values()].some((k) => k === 0)) await new Promise((r) => setTimeout(r, 5));
  measuring = true;
  const sent = await drive();
  const deadline = Date.now() + 30_000;
  while (appended < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  controller.abort();
  await consuming.catch(() => undefined);
  if (appended < sent) throw new Error(`only ${appended} of ${sent} frames reached the window within 30 s`);
  return { marks: appended, seconds: ms(lastNs - firstNs) / 1000, latenciesMs: latencies };
}

/** The REST side: sequential best_bid_ask polls for all symbols, each quote parsed into the window. */
async function restPoll(sim: SimProcess): Promise<Phase> {
  const { service } = windowWriter(SYMBOLS);
  const url = `${sim.brokerageUrl}/best_bid_ask?${SYMBOLS.map((s) => `product_ids=${s}`).join('&')}`;
  const latencies: number[] = [];
  let marks = 0;
  const started = nowNs();
  while (ms(nowNs() - started) < REST_SECONDS * 1000) {
    const t0 = nowNs();
    const body = (await (await fetch(url)).json()) as {
      pricebooks: { product_id: string; bids: { price: string }[]; asks: { price: string }[] }[];
    };
    for (const book of body.pricebooks) {
      const bid = parseDecimal(book.bids[0]?.price);
      const ask = parseDecimal(book.asks[0]?.price);
      if (bid && ask) {
        service.updateMarkWindow(book.product_id, bid.plus(ask).div(2));
        marks += 1;
      }
    }
    latencies.push(ms(nowNs() - t0));
  }
  return { marks, seconds: ms(nowNs() - started) / 1000, latenciesMs: latencies };
}

export async function benchStreamingIngest(paths: readonly IngestPath[] = INGEST_PATHS): Promise<boolean> {
  console.log(
    `\n## Streaming ingest over a loopback WebSocket: simulator (own process) → client → window, ${SYMBOLS.length} symbols`,
  );
  const sim = await startSimProcess([
    '--seed',
    '1',
    '--tick-ms',
    '0',
    '--no-auth',
    '--stamp-frames',
    '--products',
    SYMBOLS.join(','),
  ]);
  try {
    const measured: { path: IngestPath; saturated: Phase; paced: Phase }[] = [];
    for (const path of paths) {
      const saturated = await ingest(
        sim,
        path,
        async () => (await sim.control<{ sent: number }>('pump', { count: SATURATED_FRAMES })).sent,
      );
      const paced = await ingest(
        sim,
        path,
        async () =>
          (
            await sim.control<{ sent: number }>('pump', {
              count: PACED_RATE * PACED_SECONDS,
              ratePerSecond: PACED_RATE,
            })
          ).sent,
      );
      measured.push({ path, saturated, paced });
    }
    const rest = await restPoll(sim);
    const row = (name: string, p: Phase, unit: string) => [
      name,
      p.marks,
      p.marks / p.seconds,
      percentile(p.latenciesMs, 50),
      percentile(p.latenciesMs, 99),
      Math.max(...p.latenciesMs),
      unit,
    ];
    console.log(
      table(
        ['path', 'marks', 'marks/s', 'p50 ms', 'p99 ms', 'max ms', 'latency measured'],
        [
          ...measured.flatMap(({ path, saturated, paced }) => [
            row(`${path.name}, as fast as the socket drains`, saturated, 'frame sent → window (incl. queueing)'),
            row(`${path.name}, paced at ${fmt(PACED_RATE)}/s`, paced, 'frame sent → window'),
          ]),
          row(`REST best_bid_ask poll, sequential, ${SYMBOLS.length} products per request`, rest, 'request → window'),
        ],
      ),
    );
    const rate = (p: Phase) => p.marks / p.seconds;
    const p99 = (p: Phase) => percentile(p.latenciesMs, 99);
    const lowerOrHigher = (ws: number, other: number) => {
      const r = ratio(other, ws);
      return r >= 1 ? `${times(r)} lower on the WebSocket` : `${times(1 / r)} higher on the WebSocket`;
    };
    for (const { path, saturated, paced } of measured) {
      console.log(
        `${path.name} vs REST: ${times(ratio(rate(saturated), rate(rest)))} the marks/s; ` +
          `p99 latency ${fmt(p99(paced), 2)} ms vs ${fmt(p99(rest), 2)} ms (${lowerOrHigher(p99(paced), p99(rest))})`,
      );
    }
    const bot = measured.find((m) => m.path === INGEST_PATHS[1]);
    if (bot)
      verdict(
        `latency p99 frame → window < 1 ms at ${fmt(PACED_RATE)} frames/s over loopback (bot path, shipped store)`,
        p99(bot.paced) < 1,
        `p99 ${fmt(p99(bot.paced), 2)} ms`,
      );
    const [plain, service] = measured;
    if (plain && service) {
      console.log(
        `${service.path.name} vs ${plain.path.name}: ${times(ratio(rate(service.saturated), rate(plain.saturated)))} the saturated marks/s; ` +
          `paced p50 ${fmt(percentile(service.paced.latenciesMs, 50), 3)} ms vs ${fmt(percentile(plain.paced.latenciesMs, 50), 3)} ms, ` +
          `p99 ${fmt(p99(service.paced), 3)} ms vs ${fmt(p99(plain.paced), 3)} ms (${times(ratio(p99(service.paced), p99(plain.paced)))})`,
      );
    }
  } finally {
    await sim.stop();
  }
  return true;
}
