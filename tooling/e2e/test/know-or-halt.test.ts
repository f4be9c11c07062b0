import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCoinbaseBroker, type CoinbaseBrokerage } from '@perps-bot/broker-adapters';
import { Decimal, MemoryEventStore, MemoryLogger, systemClock } from '@perps-bot/core';
import { startExchangeSim, type ExchangeSim, type Faults } from '@perps-bot/exchange-sim';
import type { PerpsBot } from '@perps-bot/orchestration';
import { SqliteOrdersStore } from '@perps-bot/stores';
import { buildTradingBot, loadConfig } from 'perps-bot';
import { afterEach, describe, expect, it } from 'vitest';

// Know or halt, end to end: the bot as the app builds it (Coinbase adapter, LiveRiskManager, SQLite orders
// store, live orders) against the simulator, which ignores reduce_only as the documented API does, loses or
// cuts order answers after carrying the orders out, serves stale positions and 503s. Each run is driven
// cycle by cycle with the market stepped between cycles (no timer decides anything).
const BIP = 'BIP-20DEC30-CDE';
const ETP = 'ETP-20DEC30-CDE';
const SYMBOLS = [BIP, ETP];
/** Short 1 / long 2 and a tiny trailing stop: the strategy trades almost every other cycle. */
const ENV = { PERPS_SHORT_MA: '1', PERPS_LONG_MA: '2', PERPS_TRAILING_STOP_PCT: '0.0001', RISK_DAILY_LOSS_LIMIT: '0' };

interface Run {
  sim: ExchangeSim;
  bot: PerpsBot;
  truth: CoinbaseBrokerage;
  ordersStore: SqliteOrdersStore;
  events: MemoryEventStore;
  dir: string;
  cycles(n: number): Promise<void>;
}

const runs: Run[] = [];
afterEach(async () => {
  for (const run of runs.splice(0)) {
    await run.bot.shutdown();
    run.ordersStore.close();
    await run.sim.close();
    rmSync(run.dir, { recursive: true, force: true });
  }
});

async function start(options: { seed: number; faults?: Faults; env?: Record<string, string> }): Promise<Run> {
  const sim = await startExchangeSim({
    seed: options.seed,
    tickIntervalMs: 0,
    products: SYMBOLS,
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const key = sim.credentials;
  if (!key) throw new Error('the simulator generated no test key');
  const coinbase = (logger = new MemoryLogger()) =>
    createCoinbaseBroker({
      apiUrl: sim.apiUrl,
      credentials: { keyName: key.keyName, privateKey: key.privateKeyPem },
      logger,
      clock: systemClock,
      rateLimit: false,
      timeoutMs: 500,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 100 },
    });
  const dir = mkdtempSync(join(tmpdir(), 'perps-know-or-halt-'));
  const env = { ...ENV, ...options.env };
  const { config } = loadConfig({
    env,
    flags: { profile: 'dev', broker: 'coinbase', apiUrl: sim.apiUrl, symbols: SYMBOLS.join(','), dryRun: false },
  });
  const events = new MemoryEventStore({ jsonRoundTrip: true });
  const ordersStore = new SqliteOrdersStore({ file: join(dir, 'orders.sqlite') });
  const bot = await buildTradingBot(config, {
    broker: coinbase(),
    eventStore: events,
    ordersStore,
    logger: new MemoryLogger(),
    clock: systemClock,
    env,
  });
  const run: Run = {
    sim,
    bot,
    truth: coinbase(),
    ordersStore,
    events,
    dir,
    async cycles(n) {
      for (let i = 0; i < n; i++) {
        await bot.runCycle();
        sim.advance(1);
      }
    },
  };
  runs.push(run);
  return run;
}

/** Every order the exchange holds for our products, by client order id. */
async function exchangeOrders(run: Run) {
  const orders = await run.truth.rest.listOrders({ productIds: SYMBOLS, limit: 1000 });
  return new Map(orders.map((o) => [o.client_order_id, o]));
}

const STATUS: Record<string, string> = {
  FILLED: 'FILLED',
  OPEN: 'SUBMITTED',
  CANCELLED: 'CANCELLED',
  EXPIRED: 'CANCELLED',
};

describe('know or halt against the simulator', () => {
  it('lost order answers and cut-short 200s: every exchange order ends in orders.sqlite with its true status, none recorded failed', async () => {
    const orderRoutes = ['orders.create', 'orders.close_position'];
    const run = await start({
      seed: 21,
      faults: { rest: { rateLostResponse: 0.35, lostResponseKind: 'cut', rateMalformed: 0.35, routes: orderRoutes } },
    });
    await run.cycles(60);
    run.sim.setFaults({ rest: { rateLostResponse: 0.5, routes: orderRoutes } }); // lost as 503s too
    await run.cycles(30);
    run.sim.setFaults({ rest: {} });
    // Faults off: a bounded number of cycles settles every unknown outcome (each cycle looks them up).
    await run.cycles(3);

    const stats = run.sim.stats();
    expect(stats.faults.lost_response, 'lost answers were injected').toBeGreaterThan(0);
    expect(stats.faults.malformed_body, 'cut-short 200s were injected').toBeGreaterThan(0);
    const onExchange = await exchangeOrders(run);
    expect(onExchange.size).toBeGreaterThan(10);
    const missing: string[] = [];
    const wrong: string[] = [];
    for (const [clientId, order] of onExchange) {
      const stored = run.ordersStore.get(order.order_id);
      if (!stored) missing.push(`${clientId} ${order.status}`);
      else if (stored.status !== STATUS[order.status])
        wrong.push(`${clientId}: exchange ${order.status}, stored ${stored.status}`);
    }
    expect(missing, 'exchange orders missing from orders.sqlite').toEqual([]);
    expect(wrong, 'orders stored with a status the exchange does not have').toEqual([]);
    const failedButOnExchange = run.events
      .ofType('order_failed')
      .map((e) => String(e.payload.clientId))
      .filter((id) => onExchange.has(id));
    expect(failedButOnExchange, 'recorded failed while the exchange has them').toEqual([]);
    // The bot did meet unknown outcomes and settled each one.
    expect(run.events.ofType('order_unknown').length).toBeGreaterThan(0);
    expect(run.bot.orderStats.unknown).toBe(0);
    const { attempted, successful, failed, unknown } = run.bot.orderStats;
    expect(successful + failed + unknown).toBe(attempted);
    expect(successful).toBe(onExchange.size);
  });

  it('stale positions and an ignored reduce_only never grow |position| in reduce-only', async () => {
    const run = await start({ seed: 5, env: { RISK_REDUCE_ONLY_MODE: 'true' } });
    // A long of 2 contracts, opened by someone else before the bot runs; then positions answers freeze.
    await run.truth.placeOrder({
      symbol: BIP,
      side: 'BUY',
      type: 'MARKET',
      quantity: new Decimal(2),
      clientId: 'outside-1',
    });
    run.sim.setFaults({ positions: { stale: true } });
    const sizes: Decimal[] = [];
    for (let i = 0; i < 40; i++) {
      await run.cycles(1);
      sizes.push(new Decimal(run.sim.positionSizes()[BIP] ?? 0).abs());
    }
    const grew = sizes.some((size, i) => size.greaterThan(i === 0 ? 2 : (sizes[i - 1] as Decimal)));
    expect(sizes.map((s) => s.toFixed()).join(' '), 'the |position| after each cycle').toMatch(/^[\d .]+$/);
    expect(grew, `|position| grew: ${sizes.map((s) => s.toFixed()).join(' ')}`).toBe(false);
    expect(sizes.every((s) => s.lessThanOrEqualTo(2))).toBe(true);
    expect(new Decimal(run.sim.positionSizes()[ETP] ?? 0).isZero(), 'nothing opened in ETP').toBe(true);
    // It did act: the long was closed (through close_position), then nothing more while answers stayed stale.
    expect(run.bot.orderStats.successful).toBeGreaterThanOrEqual(1);
    expect(run.events.ofType('order_placed').map((e) => e.payload.via)).toContain('close_position');
    expect(run.sim.positionSizes()[BIP]).toBeUndefined();
  });

  it('503 on positions never opens exposure', async () => {
    const run = await start({ seed: 8, faults: { rest: { rate5xx: 1, status5xx: 503, routes: ['cfm.positions'] } } });
    await run.cycles(40);
    expect(run.sim.positionSizes(), 'positions on the exchange').toEqual({});
    expect(run.sim.stats().orders).toBe(0);
    expect(run.bot.riskManager.reduceOnlyReason).toBe('account_state_unknown');
  });
});
