import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCoinbaseBroker } from '@perps-bot/broker-adapters';
import { describeError, MemoryLogger, systemClock, type Decimal } from '@perps-bot/core';
import { matchRoute, startExchangeSim, type ExchangeSim, type Faults, type SimStats } from '@perps-bot/exchange-sim';
import type { PerpsBot } from '@perps-bot/orchestration';
import { SqliteEventStore, SqliteOrdersStore } from '@perps-bot/stores';
import { buildTradingBot, loadConfig } from 'perps-bot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from 'perps-bot/testing';
import { matchFaults, unexplainedGaps, type FaultMatching } from '../src/soak/fault-matching.js';
import { RecordingEventStore } from '../src/soak/recording-event-store.js';

// The bot under faults: PerpsBot as the app builds it (Coinbase adapter, LiveRiskManager, SQLite stores,
// streaming on, live orders), driven in-process cycle after cycle with no pause, against the simulator
// injecting 429s, 500s, hangs, malformed bodies, lost order answers, dropped WebSocket connections, lost
// messages (sequence gaps) and garbage frames. SOAK_CYCLES=5000 pnpm --filter @perps-bot/e2e test runs the
// long form; the suite's short form is 300 cycles.
const CYCLES = Number(process.env.SOAK_CYCLES ?? 300);
/** Cycles per WebSocket fault phase: lost/garbage frames, then dropped connections, in turn (see below). */
const PHASE = 50;
const SYMBOLS = ['BIP-20DEC30-CDE', 'ETP-20DEC30-CDE'];

const REST: Faults['rest'] = {
  rate429: 0.02,
  retryAfterSeconds: 0.005,
  rate5xx: 0.02,
  rateMalformed: 0.02,
  rateTimeout: 0.004,
  // The simulator hangs longer than the adapter waits, then cuts the connection.
  timeoutMs: 400,
  rateLostResponse: 0.2,
};
// Drops and lost/garbage frames take turns: a frame written just before the simulator cuts the socket is not
// guaranteed to reach the client, and then neither the garbage nor the gap it would reveal can be seen by
// anyone. Within a phase every fault is observable.
const WS_FRAMES: Faults['ws'] = { gapRate: 0.05, malformedRate: 0.05 };
const WS_DROPS: Faults['ws'] = { dropRate: 0.04 };

let sim: ExchangeSim;
let dir: string;
let bot: PerpsBot;
let logger: MemoryLogger;
let events: RecordingEventStore;
let stats: SimStats;
let matching: FaultMatching;
const crashes: string[] = [];
const accepted = new Map<string, Decimal[]>();
let seconds = 0;

beforeAll(async () => {
  sim = await startExchangeSim({
    seed: 11,
    tickIntervalMs: 10,
    heartbeatIntervalMs: 250,
    products: SYMBOLS,
    faults: { rest: REST, ws: WS_FRAMES },
  });
  const key = sim.credentials;
  if (!key) throw new Error('the simulator generated no test key');
  // SQLite fsyncs every append (synchronous=FULL); on tmpfs that costs nothing, so the soak measures the bot,
  // not the disk. What is checked (every returned append is in the store) does not depend on the medium.
  dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'perps-bot-soak-'));
  logger = new MemoryLogger();
  const broker = createCoinbaseBroker({
    apiUrl: sim.apiUrl,
    wsUrl: sim.wsUrl,
    credentials: { keyName: key.keyName, privateKey: key.privateKeyPem },
    logger,
    clock: systemClock,
    rateLimit: false,
    timeoutMs: 250,
    retry: { maxAttempts: 3, baseDelayMs: 2, maxDelayMs: 10, maxRetryAfterMs: 1_000 },
  });
  // The adapter's stream ends on a dropped connection; the StreamingService reopens it, here after 5–20 ms.
  const streamSource = broker.marketDataStream();
  const streaming = { reconnect: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 10 } };
  const env = { PERPS_ENABLE_STREAMING: '1', PERPS_SHORT_MA: '2', PERPS_LONG_MA: '4', RISK_DAILY_LOSS_LIMIT: '0' };
  const { config } = loadConfig({
    env,
    flags: {
      profile: 'dev',
      broker: 'coinbase',
      apiUrl: sim.apiUrl,
      wsUrl: sim.wsUrl,
      symbols: SYMBOLS.join(','),
      dryRun: false,
    },
  });
  events = new RecordingEventStore(new SqliteEventStore({ file: join(dir, 'events.sqlite'), clock: systemClock }));
  const ordersStore = new SqliteOrdersStore({ file: join(dir, 'orders.sqlite') });
  bot = await buildTradingBot(config, {
    broker,
    streamSource,
    streaming,
    eventStore: events,
    ordersStore,
    logger,
    clock: systemClock,
    env: {},
  });
  bot.markWindows.observe(({ symbol, mark }) => {
    const list = accepted.get(symbol) ?? [];
    list.push(mark);
    accepted.set(symbol, list);
  });

  const started = performance.now();
  for (let cycle = 1; cycle <= CYCLES; cycle++) {
    if (cycle % PHASE === 1) sim.setFaults({ ws: Math.floor(cycle / PHASE) % 2 === 0 ? WS_FRAMES : WS_DROPS });
    try {
      await bot.runCycle();
    } catch (error) {
      crashes.push(`cycle ${cycle}: ${describeError(error)}`);
    }
  }
  // Faults off; then a few more streamed frames, so a frame lost just before the end is revealed by the next.
  sim.setFaults({ rest: {}, ws: {} });
  const streamedBefore = streamed();
  await waitFor(
    'three more streamed marks after the faults stop',
    () => (streamed() >= streamedBefore + 3 ? true : undefined),
    30_000,
    () =>
      [
        JSON.stringify(sim.stats().ws),
        ...logger.records
          .filter((r) => /WebSocket|WS|stream/i.test(r.message))
          .slice(-25)
          .map((r) => `${r.level} ${r.message} ${JSON.stringify(r.fields)}`),
      ].join('\n'),
  );
  seconds = (performance.now() - started) / 1000;
  await bot.shutdown();
  ordersStore.close();
  events.close();
  stats = sim.stats();
  const routeOf = (method: string, path: string) => {
    const hit = matchRoute(method, path);
    return hit && 'route' in hit ? hit.route.name : undefined;
  };
  matching = matchFaults(stats.faultLog, logger.records, routeOf);
  console.log(
    `soak: ${CYCLES} cycles in ${seconds.toFixed(1)} s, ${stats.requests.total} requests, ${stats.ws.total} WebSocket connections, ` +
      `${stats.ws.messagesSent} frames, ${stats.orders} orders; faults ${JSON.stringify(Object.fromEntries(Object.entries(stats.faults).filter(([, n]) => n > 0)))}`,
  );
}, 600_000);

afterAll(async () => {
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function streamed(): number {
  return events.returned.filter(
    (e) => e.type === 'metric' && (e.payload as { event_type?: unknown }).event_type === 'ws_mark_update',
  ).length;
}

describe(`soak: ${CYCLES} cycles against injected faults`, () => {
  it('never crashes: every cycle returns, whatever the exchange does', () => {
    expect(crashes).toEqual([]);
    expect(events.returned.filter((e) => e.type === 'cycle_metrics')).toHaveLength(CYCLES);
  });

  it('was really under fire: every kind of fault was injected', () => {
    for (const kind of [
      'http_429',
      'http_5xx',
      'malformed_body',
      'timeout',
      'ws_gap',
      'ws_malformed',
      'ws_drop',
    ] as const) {
      expect(stats.faults[kind], kind).toBeGreaterThan(0);
    }
    expect([stats.faults.auth_failed, stats.faults.rate_limited, stats.faults.ws_subscribe_timeout]).toEqual([0, 0, 0]);
  });

  it('logged every injected fault as its own clear record (one to one)', () => {
    expect(matching.unknownKinds).toEqual([]);
    expect(matching.unmatched).toEqual([]);
    expect(matching.matches).toHaveLength(stats.faultLog.length);
    // The log has no loss the simulator did not cause.
    expect(unexplainedGaps(matching, logger.records)).toEqual([]);
    // Each matched REST record names what failed and what happens next.
    for (const { record } of matching.matches.filter((m) => !m.fault.kind.startsWith('ws_'))) {
      expect(logger.records[record ?? -1]?.message).toMatch(
        /^Coinbase (GET|POST) \S+ (failed \(attempt \d of \d\): .+; (retrying in \d+ ms|giving up|not retried)|answered a body of unexpected shape: .+; not retried)$/,
      );
    }
  });

  it('kept every mark it accepted in the window, trimmed only by newer ones', () => {
    const limit = bot.markWindows.limit;
    for (const symbol of SYMBOLS) {
      const all = (accepted.get(symbol) ?? []).map((m) => m.toFixed());
      const window = (bot.markWindows.get(symbol) ?? []).map((m) => m.toFixed());
      expect(all.length, symbol).toBeGreaterThan(CYCLES); // REST marks plus streamed ones
      expect(window).toHaveLength(Math.min(limit, all.length));
      expect(window).toEqual(all.slice(-window.length));
      // Every streamed mark it recorded went through the window, in order.
      const recorded = events.returned
        .filter(
          (e) =>
            (e.payload as { event_type?: unknown; symbol?: unknown }).event_type === 'ws_mark_update' &&
            (e.payload as { symbol?: unknown }).symbol === symbol,
        )
        .map((e) => String((e.payload as { mark: unknown }).mark));
      let from = 0;
      for (const mark of recorded) {
        const at = all.indexOf(mark, from);
        expect(at, `${symbol} ${mark}`).toBeGreaterThanOrEqual(from);
        from = at + 1;
      }
    }
  });

  it('has every event it recorded in the store, in order', () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), readonly: true });
    try {
      const stored = store.tail(10_000_000).map((e) => ({ type: e.type, botId: e.botId, payload: e.payload }));
      expect(stored.length).toBe(events.returned.length);
      expect(stored).toEqual(events.returned);
    } finally {
      store.close();
    }
  });
});
