import { createCoinbaseBroker } from '@perps-bot/broker-adapters';
import { ManualClock, MemoryLogger } from '@perps-bot/core';
import { MarketDataService, MarkWindows, type BatchQuoteSource } from '@perps-bot/market-data';
import { updateMarksLegacy } from '@perps-bot/orchestration';
import { RecordingRisk, captureEffects, countEffects, diffEffects, type MarkEffects } from '../lib/effects.js';
import { SimFetchQuoteSource, SleepingBatchQuoteSource, SleepingQuoteSource } from '../lib/quote-sources.js';
import { startSimProcess } from '../lib/sim-process.js';
import { median } from '../lib/stats.js';
import { fmt, table, times } from '../lib/table.js';

const SHORT_MA = 20;
const LONG_MA = 50;
const CYCLES = 5;
const SYMBOL_COUNT = 50;
const LATENCY_MS = 20;

interface SideResult {
  readonly durations: number[];
  readonly effects: MarkEffects;
}

type Path = 'legacy' | 'service';

/** Runs CYCLES passes of one path on a fresh store, risk, logger and clock: both paths start from the same state. */
async function runPath(path: Path, symbols: string[], source: BatchQuoteSource, batch = false): Promise<SideResult> {
  const clock = new ManualClock('2026-03-01T12:30:00.000Z');
  const logger = new MemoryLogger();
  const risk = new RecordingRisk();
  const markWindows = MarkWindows.forAverages(SHORT_MA, LONG_MA);
  for (const s of symbols) markWindows.ensure(s);
  const service = new MarketDataService({
    symbols,
    broker: () => source,
    riskManager: () => risk,
    logger,
    clock,
    markWindows,
    concurrency: symbols.length,
    batchQuotes: batch,
  });
  const durations: number[] = [];
  for (let c = 0; c < CYCLES; c++) {
    const started = performance.now();
    if (path === 'legacy')
      await updateMarksLegacy({ symbols, broker: source, riskManager: risk, markWindows, logger, clock });
    else await service.updateMarks();
    durations.push(performance.now() - started);
    clock.advance(1000);
  }
  return { durations, effects: captureEffects(markWindows, risk, logger) };
}

/** Median of 20 single requests: one getQuote, or (with `batch`) one getQuotes for the whole list. */
async function roundTrip(source: BatchQuoteSource, symbol: string, batch?: readonly string[]): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    try {
      if (batch && source.getQuotes) await source.getQuotes(batch);
      else await source.getQuote(symbol);
    } catch {
      // a scripted failure still took one round trip
    }
    samples.push(performance.now() - started);
  }
  return median(samples);
}

interface Section {
  readonly title: string;
  readonly symbols: string[];
  readonly source: () => BatchQuoteSource;
  /** The service side batches: one getQuotes per cycle (the broker must have one) instead of concurrent getQuote. */
  readonly batch?: boolean;
}

async function runSection(section: Section): Promise<boolean> {
  const rtt = await roundTrip(section.source(), section.symbols[1] as string);
  const legacy = await runPath('legacy', section.symbols, section.source());
  const batch = section.batch === true;
  if (batch && typeof section.source().getQuotes !== 'function')
    throw new Error(`${section.title}: the source has no getQuotes`);
  const batchRtt = batch ? await roundTrip(section.source(), '', section.symbols) : 0;
  const service = await runPath('service', section.symbols, section.source(), batch);
  const diffs = diffEffects(legacy.effects, service.effects);
  console.log(`\n${section.title}`);
  if (diffs.length > 0) {
    console.log(
      `EFFECTS DIFFER between the legacy path and the MarketDataService — figures not printed:\n  ${diffs.join('\n  ')}`,
    );
    return false;
  }
  const counts = countEffects(legacy.effects);
  console.log(
    `effects identical in this run: ${counts.marks} marks in ${section.symbols.length} windows, ${counts.risk} risk timestamps, ${counts.logs} log records`,
  );
  const l = median(legacy.durations);
  const s = median(service.durations);
  console.log(
    table(
      ['path', 'runs', 'median ms', 'min ms', 'max ms', 'speed-up vs legacy', '÷ one round trip'],
      [
        ['one round trip (getQuote)', 20, rtt, '', '', '', times(1)],
        ...(batch
          ? [
              [
                `one round trip (getQuotes, ${section.symbols.length} symbols)`,
                20,
                batchRtt,
                '',
                '',
                '',
                times(batchRtt / rtt),
              ],
            ]
          : []),
        [
          'legacy sequential (updateMarksLegacy)',
          CYCLES,
          l,
          Math.min(...legacy.durations),
          Math.max(...legacy.durations),
          times(1),
          times(l / rtt),
        ],
        [
          batch
            ? 'MarketDataService batched (one getQuotes)'
            : `MarketDataService concurrency ${section.symbols.length}`,
          CYCLES,
          s,
          Math.min(...service.durations),
          Math.max(...service.durations),
          times(l / s),
          times(s / rtt),
        ],
      ],
    ),
  );
  const fast = l / s >= 20;
  const near = s <= 2 * rtt;
  console.log(
    `target ≥ 20× faster: ${fast ? 'met' : 'MISSED'} (${fmt(l / s, 1)}×); within 2× of one round trip: ${near ? 'met' : 'MISSED'} (${fmt(s / rtt, 2)}×)`,
  );
  return true;
}

/** update_marks for 50 symbols at 20 ms per quote: legacy sequential vs MarketDataService with concurrency 50. */
export async function benchUpdateMarks(options: { sim: boolean }): Promise<boolean> {
  console.log(`\n## update_marks: ${SYMBOL_COUNT} symbols, ${LATENCY_MS} ms per quote, ${CYCLES} cycles per path`);
  const symbols = Array.from({ length: SYMBOL_COUNT }, (_, i) => `BENCH${String(i).padStart(2, '0')}-USD`);
  let ok = await runSection({
    title: `In-process QuoteSource (each getQuote sleeps ${LATENCY_MS} ms on a timer; scripted failures make the paths log)`,
    symbols,
    source: () => new SleepingQuoteSource(symbols, LATENCY_MS),
  });
  ok =
    (await runSection({
      title: `In-process QuoteSource, batched: one getQuotes for all ${SYMBOL_COUNT} symbols sleeps ${LATENCY_MS} ms once (same script; the legacy side still calls getQuote)`,
      symbols,
      source: () => new SleepingBatchQuoteSource(symbols, LATENCY_MS),
      batch: true,
    })) && ok;
  if (options.sim) {
    for (const auth of [true, false]) {
      const sim = await startSimProcess([
        '--seed',
        '1',
        '--latency',
        String(LATENCY_MS),
        '--tick-ms',
        '0',
        '--products',
        symbols.join(','),
        ...(auth ? [] : ['--no-auth']),
      ]);
      try {
        const credentials = auth ? sim.testCredentials : null;
        if (auth && !credentials) throw new Error('the simulator printed no test credentials');
        ok =
          (await runSection({
            title: auth
              ? `Over the loopback simulator (own process, +${LATENCY_MS} ms per request, plain fetch, an ES256 JWT signed per request and verified by the simulator)`
              : `Over the loopback simulator, no JWT (isolates HTTP + the simulator from ES256 signing/verification cost)`,
            symbols,
            source: () => new SimFetchQuoteSource(sim.brokerageUrl, credentials),
          })) && ok;
        ok =
          (await runSection({
            title: auth
              ? `Over the loopback simulator through the Coinbase adapter's getQuote (signed GET /products/{id}/ticker: JWT, zod-checked answer, typed errors; client rate limit off)`
              : `Over the loopback simulator through the Coinbase adapter's getQuote without a key (public GET /market/products/{id}/ticker)`,
            symbols,
            source: () =>
              createCoinbaseBroker({
                apiUrl: sim.apiUrl,
                credentials: credentials
                  ? { keyName: credentials.keyName, privateKey: credentials.privateKeyPem }
                  : undefined,
                // The exchange's own limits (30/s private, 10/s public) would pace 50 concurrent quotes: the
                // benchmark measures the mark paths, not Coinbase's quota.
                rateLimit: false,
              }),
          })) && ok;
        if (auth) {
          ok =
            (await runSection({
              title: `Over the loopback simulator: adapter getQuotes (batched), signed — one GET /best_bid_ask?product_ids=… per cycle, one JWT (legacy side: the adapter's signed getQuote per symbol)`,
              symbols,
              batch: true,
              source: () =>
                createCoinbaseBroker({
                  apiUrl: sim.apiUrl,
                  credentials: credentials
                    ? { keyName: credentials.keyName, privateKey: credentials.privateKeyPem }
                    : undefined,
                  rateLimit: false,
                }),
            })) && ok;
        }
      } finally {
        await sim.stop();
      }
    }
  }
  return ok;
}
