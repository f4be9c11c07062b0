import { ManualClock, parseDecimal, silentLogger, type MarketDataStreamSource } from '@perps-bot/core';
import { MarketDataService, MarkWindows } from '@perps-bot/market-data';
import { tapStamps } from '../lib/frame-stamps.js';
import { startSimProcess, type SimProcess } from '../lib/sim-process.js';
import { percentile, ratio } from '../lib/stats.js';
import { fmt, table, times } from '../lib/table.js';
import { PlainWsTickerSource } from '../lib/ws-ticker-source.js';

const SYMBOLS = Array.from({ length: 10 }, (_, i) => `ING${i}-PERP-INTX`);
const SATURATED_FRAMES = 100_000;
const PACED_RATE = 5_000;
const PACED_SECONDS = 3;
const REST_SECONDS = 3;

/**
 * What turns stream messages into window appends. Today: `plainConsumer` reads Coinbase ticker envelopes
 * itself. To measure the real path once the StreamingService and the Coinbase WebSocket client are in main,
 * write a consumer that starts `new StreamingService({ source: () => <that source>, marketDataService: service, … })`
 * and resolves when the signal aborts; the stamp tap and the window observer below stay as they are.
 */
export type IngestConsumer = (source: MarketDataStreamSource, symbols: readonly string[], service: MarketDataService, signal: AbortSignal) => Promise<void>;

export const plainConsumer: IngestConsumer = async (source, symbols, service, signal) => {
  for await (const message of source.streamTrades(symbols, signal)) {
    if (message.channel !== 'ticker' || !Array.isArray(message.events)) continue;
    for (const event of message.events as { tickers?: { product_id?: unknown; price?: unknown }[] }[]) {
      for (const t of event.tickers ?? []) {
        const mark = parseDecimal(t.price);
        if (typeof t.product_id === 'string' && mark !== undefined && mark.greaterThan(0)) service.updateMarkWindow(t.product_id, mark);
      }
    }
  }
};

const nowNs = () => process.hrtime.bigint();
const ms = (ns: bigint) => Number(ns) / 1e6;

interface Phase {
  readonly marks: number;
  readonly seconds: number;
  readonly latenciesMs: number[];
}

/** Runs one measurement window: the k-th append of a product is matched with the k-th stamped frame of it. */
async function ingest(sim: SimProcess, consumer: IngestConsumer, drive: () => Promise<number>): Promise<Phase> {
  const markWindows = new MarkWindows();
  const service = new MarketDataService({ symbols: SYMBOLS, broker: () => ({ getQuote: async () => null }), riskManager: () => undefined, logger: silentLogger, clock: new ManualClock(), shortMa: 20, longMa: 50, markWindows });
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
  const source = tapStamps(new PlainWsTickerSource(sim.wsUrl), (product, sent) => stamps.get(product)?.push(sent));
  const consuming = consumer(source, SYMBOLS, service, controller.signal);
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
  const markWindows = new MarkWindows();
  const service = new MarketDataService({ symbols: SYMBOLS, broker: () => ({ getQuote: async () => null }), riskManager: () => undefined, logger: silentLogger, clock: new ManualClock(), shortMa: 20, longMa: 50, markWindows });
  const url = `${sim.brokerageUrl}/best_bid_ask?${SYMBOLS.map((s) => `product_ids=${s}`).join('&')}`;
  const latencies: number[] = [];
  let marks = 0;
  const started = nowNs();
  while (ms(nowNs() - started) < REST_SECONDS * 1000) {
    const t0 = nowNs();
    const body = (await (await fetch(url)).json()) as { pricebooks: { product_id: string; bids: { price: string }[]; asks: { price: string }[] }[] };
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

export async function benchStreamingIngest(consumer: IngestConsumer = plainConsumer): Promise<boolean> {
  console.log(`\n## Streaming ingest over a loopback WebSocket: simulator (own process) → ws client → parse → MarkWindows, ${SYMBOLS.length} symbols`);
  const sim = await startSimProcess(['--seed', '1', '--tick-ms', '0', '--no-auth', '--stamp-frames', '--products', SYMBOLS.join(',')]);
  try {
    const saturated = await ingest(sim, consumer, async () => (await sim.control<{ sent: number }>('pump', { count: SATURATED_FRAMES })).sent);
    const paced = await ingest(sim, consumer, async () => (await sim.control<{ sent: number }>('pump', { count: PACED_RATE * PACED_SECONDS, ratePerSecond: PACED_RATE })).sent);
    const rest = await restPoll(sim);
    const row = (name: string, p: Phase, unit: string) => [name, p.marks, p.marks / p.seconds, percentile(p.latenciesMs, 50), percentile(p.latenciesMs, 99), Math.max(...p.latenciesMs), unit];
    console.log(
      table(
        ['path', 'marks', 'marks/s', 'p50 ms', 'p99 ms', 'max ms', 'latency measured'],
        [
          row('WebSocket ticker, as fast as the socket drains', saturated, 'frame sent → window (incl. queueing)'),
          row(`WebSocket ticker, paced at ${fmt(PACED_RATE)}/s`, paced, 'frame sent → window'),
          row(`REST best_bid_ask poll, sequential, ${SYMBOLS.length} products per request`, rest, 'request → window'),
        ],
      ),
    );
    console.log(
      `WebSocket vs REST: ${times(ratio(saturated.marks / saturated.seconds, rest.marks / rest.seconds))} the marks/s; ` +
        `p99 latency ${fmt(percentile(paced.latenciesMs, 99), 2)} ms vs ${fmt(percentile(rest.latenciesMs, 99), 2)} ms (${times(ratio(percentile(rest.latenciesMs, 99), percentile(paced.latenciesMs, 99)))} lower on the WebSocket)`,
    );
    console.log('consumer: plain ws client + MarketDataService.updateMarkWindow (switch to the StreamingService once it and the Coinbase WS client are in main; see IngestConsumer)');
  } finally {
    await sim.stop();
  }
  return true;
}
