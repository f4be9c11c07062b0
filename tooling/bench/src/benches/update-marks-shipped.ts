import { createCoinbaseBroker, type CoinbaseBrokerage } from '@perps-bot/broker-adapters';
import { ManualClock, MemoryLogger } from '@perps-bot/core';
import { MarketDataService, MarkWindows } from '@perps-bot/market-data';
import { DEFAULT_BOT_CONFIG, updateMarksLegacy } from '@perps-bot/orchestration';
import { RecordingRisk, captureEffects, diffEffects, type MarkEffects } from '../lib/effects.js';
import { generateTestCredentials } from '@perps-bot/exchange-sim';
import { latencyFetch } from '../lib/latency-fetch.js';
import { startSimProcess, type SimProcess } from '../lib/sim-process.js';
import { median } from '../lib/stats.js';
import { fmt, table, times } from '../lib/table.js';
import { verdict } from '../lib/verdict.js';

const SHORT_MA = 20;
const LONG_MA = 50;
const CYCLES = 3;
const SYMBOL_COUNT = 50;
const LATENCY_MS = 20;
const SCALE = [50, 200, 1_000] as const;
/**
 * Cycles start this far apart so the rate-limit buckets refill to their burst between cycles, as they do over
 * the bot's 5 s interval (1,000 symbols take the whole public burst of 10 requests); the gap is not timed.
 */
const CYCLE_GAP_MS = 1_050;

interface Run {
  readonly durations: number[];
  /** This process's CPU time per cycle (ms): the adapter's and the service's own work, not the simulator's. */
  readonly cpuMs: number[];
  readonly requests: number;
  readonly effects: MarkEffects;
}

const symbolsOf = (n: number) => Array.from({ length: n }, (_, i) => `BENCH${String(i).padStart(4, '0')}-USD`);

/** The adapter exactly as the app builds it: default options, so the client-side rate limits are on. */
function shippedAdapter(sim: SimProcess, signed: boolean): CoinbaseBrokerage {
  const c = sim.testCredentials;
  return createCoinbaseBroker({
    apiUrl: sim.apiUrl,
    credentials: signed && c ? { keyName: c.keyName, privateKey: c.privateKeyPem } : undefined,
  });
}

async function requestsSoFar(sim: SimProcess): Promise<number> {
  const res = await fetch(`${sim.apiUrl}/_sim/stats`);
  const stats = (await res.json()) as { requests: { total: number } };
  return stats.requests.total;
}

/** CYCLES passes of one path with fresh state; the service gets the bot's default quoteConcurrency and quoteBatching. */
async function run(
  path: 'legacy' | 'service',
  counter: () => Promise<number>,
  broker: CoinbaseBrokerage,
  symbols: string[],
): Promise<Run> {
  const clock = new ManualClock('2026-03-01T12:30:00.000Z');
  const logger = new MemoryLogger();
  const risk = new RecordingRisk();
  const markWindows = MarkWindows.forAverages(SHORT_MA, LONG_MA);
  const service = new MarketDataService({
    symbols,
    broker: () => broker,
    riskManager: () => risk,
    logger,
    clock,
    markWindows,
    concurrency: DEFAULT_BOT_CONFIG.quoteConcurrency,
    batchQuotes: DEFAULT_BOT_CONFIG.quoteBatching,
  });
  const cycle = () =>
    path === 'legacy'
      ? updateMarksLegacy({ symbols, broker, riskManager: risk, markWindows, logger, clock })
      : service.updateMarks();
  // One untimed cycle first, as a running bot's connections are already open (both paths alike).
  await new Promise((resolve) => setTimeout(resolve, CYCLE_GAP_MS));
  await cycle();
  clock.advance(1000);
  await new Promise((resolve) => setTimeout(resolve, CYCLE_GAP_MS));
  const before = await counter();
  const durations: number[] = [];
  const cpuMs: number[] = [];
  for (let c = 0; c < CYCLES; c++) {
    await new Promise((resolve) => setTimeout(resolve, CYCLE_GAP_MS));
    const cpu = process.cpuUsage();
    const started = performance.now();
    await cycle();
    durations.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
    clock.advance(1000);
  }
  const requests = ((await counter()) - before) / CYCLES;
  return { durations, cpuMs, requests, effects: captureEffects(markWindows, risk, logger) };
}

/** One signed or public ticker request, the unit a round trip is measured in (median of 10, paced under the limit). */
async function roundTrip(broker: CoinbaseBrokerage, symbol: string): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    await broker.getQuote(symbol);
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/**
 * The marks must be the same last-trade prices and the logs the same; the risk timestamps differ by design (a
 * ticker quote carries its trade's time, the products list none, so its quote is stamped on arrival).
 */
function sameMarks(a: MarkEffects, b: MarkEffects): string[] {
  return diffEffects({ ...a, risk: {} }, { ...b, risk: {} });
}

/** Legacy vs the service with the shipped defaults on SYMBOL_COUNT symbols; verdicts on the speed-up and round trips. */
async function compareFifty(
  title: string,
  goal: string,
  broker: CoinbaseBrokerage,
  counter: () => Promise<number>,
  waves?: () => number,
): Promise<boolean> {
  const symbols = symbolsOf(SYMBOL_COUNT);
  const rtt = await roundTrip(broker, symbols[1] as string);
  await new Promise((resolve) => setTimeout(resolve, CYCLE_GAP_MS));
  const legacy = await run('legacy', counter, broker, symbols);
  const wavesBefore = waves?.() ?? 0;
  const service = await run('service', counter, broker, symbols);
  const serviceWaves = waves ? (waves() - wavesBefore) / (CYCLES + 1) : undefined;
  console.log(`\n### ${title}`);
  const diffs = sameMarks(legacy.effects, service.effects);
  if (diffs.length > 0) {
    console.log(`MARKS OR LOGS DIFFER between legacy and the service:\n  ${diffs.join('\n  ')}`);
    return false;
  }
  const l = median(legacy.durations);
  const s = median(service.durations);
  console.log(
    table(
      ['path', 'cycles', 'median ms', 'min ms', 'CPU ms', 'requests / cycle', 'speed-up vs legacy', '÷ one round trip'],
      [
        ['one round trip (adapter getQuote)', 10, rtt, '', '', 1, '', times(1)],
        [
          'legacy sequential (updateMarksLegacy)',
          CYCLES,
          l,
          Math.min(...legacy.durations),
          median(legacy.cpuMs),
          legacy.requests,
          times(1),
          times(l / rtt),
        ],
        [
          'MarketDataService, shipped defaults',
          CYCLES,
          s,
          Math.min(...service.durations),
          median(service.cpuMs),
          service.requests,
          times(l / s),
          times(s / rtt),
        ],
      ],
    ),
  );
  let ok = verdict(
    `update_marks as shipped, ${SYMBOL_COUNT} symbols, ${goal}: ≥ 20× legacy`,
    l / s >= 20,
    `${fmt(l / s, 1)}× (medians ${fmt(l)} vs ${fmt(s)} ms)`,
  );
  const trips = serviceWaves ?? s / rtt;
  const how = serviceWaves === undefined ? 'wall ÷ one round trip' : 'request waves counted at the server';
  ok =
    verdict(
      `update_marks as shipped, ${SYMBOL_COUNT} symbols, ${goal}: ≤ 2 round trips`,
      trips <= 2,
      `${fmt(trips, 2)} round trips (${how}), ${service.requests} requests`,
    ) && ok;
  return ok;
}

/**
 * update_marks with the shipped defaults (DEFAULT_BOT_CONFIG.quoteConcurrency / quoteBatching, the adapter's
 * default client rate limits) over the simulator enforcing Coinbase's published limits, with and without a key.
 */
export async function benchUpdateMarksShipped(): Promise<boolean> {
  const config = `quoteConcurrency ${DEFAULT_BOT_CONFIG.quoteConcurrency}, quoteBatching ${DEFAULT_BOT_CONFIG.quoteBatching}, adapter defaults (client rate limits 30/s private, 10/s public), simulator --published-rate-limits; cycles ${CYCLE_GAP_MS} ms apart (untimed) so the buckets refill as over the bot's 5 s interval`;
  console.log(
    `\n## update_marks as shipped: ${SYMBOL_COUNT} symbols, ${LATENCY_MS} ms per request, ${CYCLES} cycles per path\nconfiguration: ${config}`,
  );
  let ok = true;
  const all = symbolsOf(Math.max(...SCALE));
  const sim = await startSimProcess([
    '--seed',
    '1',
    '--latency',
    String(LATENCY_MS),
    '--tick-ms',
    '0',
    '--published-rate-limits',
    '--products',
    all.join(','),
  ]);
  try {
    for (const signed of [true, false]) {
      const label = signed
        ? 'with a key (signed /products?product_ids=…)'
        : 'without a key (public /market/products?product_ids=…)';
      ok =
        (await compareFifty(
          `over the simulator (own process, --published-rate-limits), ${label}`,
          `over the simulator ${signed ? 'with a key' : 'without a key'}`,
          shippedAdapter(sim, signed),
          () => requestsSoFar(sim),
        )) && ok;
    }
    for (const signed of [true, false]) {
      const broker = shippedAdapter(sim, signed);
      const rtt = await roundTrip(broker, all[1] as string);
      const rows: (string | number)[][] = [];
      for (const n of SCALE) {
        const r = await run('service', () => requestsSoFar(sim), broker, all.slice(0, n));
        rows.push([
          n,
          median(r.durations),
          Math.min(...r.durations),
          median(r.cpuMs),
          r.requests,
          times(median(r.durations) / rtt),
        ]);
      }
      console.log(
        `\n### cost per cycle by symbol count over the simulator, ${signed ? 'with a key' : 'without a key'} (informative: the simulator is one thread and serialises the concurrent requests)`,
      );
      console.log(
        table(['symbols', 'median ms', 'min ms', 'client CPU ms', 'requests / cycle', '÷ one round trip'], rows),
      );
    }
    const credentials = generateTestCredentials();
    for (const signed of [true, false]) {
      const server = latencyFetch(LATENCY_MS);
      const broker = createCoinbaseBroker({
        apiUrl: 'https://api.coinbase.com',
        fetch: server.fetch,
        credentials: signed ? { keyName: credentials.keyName, privateKey: credentials.privateKeyPem } : undefined,
      });
      ok =
        (await compareFifty(
          `in-process floor ${signed ? 'with a key' : 'without a key'}: the real adapter (defaults, rate limits on) over a fetch answering after ${LATENCY_MS} ms`,
          `in-process floor ${signed ? 'with a key' : 'without a key'}`,
          broker,
          async () => server.requests(),
          server.waves,
        )) && ok;
      await new Promise((resolve) => setTimeout(resolve, CYCLE_GAP_MS));
      const rtt = await roundTrip(broker, all[1] as string);
      const rows: (string | number)[][] = [];
      let worstWaves = 0;
      for (const n of SCALE) {
        const wavesBefore = server.waves();
        const r = await run('service', async () => server.requests(), broker, all.slice(0, n));
        // The warm-up cycle is a wave too: CYCLES + 1 cycles ran.
        const waves = (server.waves() - wavesBefore) / (CYCLES + 1);
        worstWaves = Math.max(worstWaves, waves);
        const s = median(r.durations);
        rows.push([n, s, Math.min(...r.durations), median(r.cpuMs), r.requests, waves, times(s / rtt)]);
      }
      console.log(
        `\n### cost per cycle by symbol count, in-process floor ${signed ? 'with a key' : 'without a key'}: the real adapter (defaults, rate limits on) over a fetch answering every request after ${LATENCY_MS} ms, concurrently`,
      );
      console.log(
        table(
          [
            'symbols',
            'median ms',
            'min ms',
            'client CPU ms',
            'requests / cycle',
            'round trips / cycle',
            'wall ÷ one round trip',
          ],
          rows,
        ),
      );
      console.log(
        '(round trips / cycle: request waves, counted at the server — a wave starts when a request goes out with none in flight; wall time on a loaded machine also holds CPU waits)',
      );
      ok =
        verdict(
          `update_marks cost flat to ${Math.max(...SCALE)} symbols ${signed ? 'with a key' : 'without a key'} (≤ 2 round trips per cycle)`,
          worstWaves <= 2,
          `worst ${fmt(worstWaves, 2)} round trips per cycle; ${Math.max(...SCALE)} symbols: ${fmt(Number(rows[rows.length - 1]?.[3]))} ms client CPU per cycle`,
        ) && ok;
    }
  } finally {
    await sim.stop();
  }
  return ok;
}
