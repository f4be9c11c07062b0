import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, MemoryLogger } from '@perps-bot/core';
import { SqliteEventStore, SqliteOrdersStore } from '@perps-bot/stores';
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker } from './broker-factory.js';
import { loadConfig } from './config/index.js';
import { healthSnapshot, writeHealthFile } from './health.js';
import { BotMetrics } from './observability/metrics.js';
import { formatExecutionShadow } from './report.js';
import { buildTradingBot } from './wiring.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function bot(
  env: NodeJS.ProcessEnv,
  flags: Parameters<typeof loadConfig>[0] extends infer I ? (I extends { flags?: infer F } ? F : never) : never,
  botEnv: NodeJS.ProcessEnv = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'perps-bot-app-'));
  dirs.push(dir);
  const { config } = loadConfig({ env, flags });
  const clock = new ManualClock('2026-03-02T14:30:00.000Z');
  const logger = new MemoryLogger();
  const eventStore = new SqliteEventStore({ file: join(dir, 'events.sqlite'), clock });
  const ordersStore = new SqliteOrdersStore({ file: join(dir, 'orders.sqlite') });
  const { broker } = await createBroker({ config, credentials: undefined, clock, logger });
  const built = await buildTradingBot(config, { broker, eventStore, ordersStore, logger, clock, env: botEnv });
  const cycles = async (n: number) => {
    for (let i = 0; i < n; i++) {
      await built.runCycle();
      clock.advance(1000);
    }
  };
  return { dir, bot: built, eventStore, ordersStore, logger, cycles };
}

// Short MAs so the seeded random walk crosses within a few dozen cycles.
const FAST_MA = { PERPS_SHORT_MA: '2', PERPS_LONG_MA: '3', PERPS_SEED: '42' };

describe('the app’s bot on the deterministic broker and the SQLite stores', () => {
  it('live (--no-dry-run): every successful order is in the orders store and recorded as an event', async () => {
    const t = await bot(FAST_MA, { dryRun: false });
    await t.cycles(40);
    const stats = t.bot.orderStats;
    expect(stats.attempted).toBeGreaterThan(0);
    expect(stats.failed).toBe(0);
    expect(t.ordersStore.count()).toBe(stats.successful);
    const types = t.eventStore.tail(10_000).map((e) => e.type);
    expect(types.filter((type) => type === 'order_placed')).toHaveLength(stats.successful);
    expect(types.filter((type) => type === 'dry_run_order')).toHaveLength(0);
    expect(types.filter((type) => type === 'cycle_metrics')).toHaveLength(40);
    expect(t.ordersStore.list(1)[0]?.clientId).toMatch(/^pb-[0-9a-f-]{36}$/);
  });

  it('dry run (the dev default): orders are recorded, never placed', async () => {
    const t = await bot(FAST_MA, {});
    await t.cycles(40);
    const dryRuns = t.eventStore.tail(10_000).filter((e) => e.type === 'dry_run_order');
    expect(dryRuns.length).toBeGreaterThan(0);
    expect(t.ordersStore.count()).toBe(0);
    expect(t.bot.orderStats).toEqual({ attempted: 0, successful: 0, failed: 0, unknown: 0 });
    expect(t.logger.at('info').filter((r) => r.message.startsWith('DRY RUN: Would execute'))).toHaveLength(
      dryRuns.length,
    );
  });

  it('writes health.json atomically with marks, their age, order stats and the market-data mode', async () => {
    const t = await bot({}, {});
    await t.cycles(1);
    const file = join(t.dir, 'nested', 'health.json');
    writeHealthFile(
      file,
      healthSnapshot(
        t.bot,
        { status: 'running', cycleCount: 1, lastCycleAt: t.bot.clock.now(), lastError: null },
        { broker: 'deterministic' },
      ),
    );
    writeHealthFile(
      file,
      healthSnapshot(
        t.bot,
        { status: 'stopped', cycleCount: 1, lastCycleAt: t.bot.clock.now(), lastError: null },
        { broker: 'deterministic' },
      ),
    );
    expect(readdirSync(join(t.dir, 'nested'))).toEqual(['health.json']); // no temporary file left behind
    const health = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(health).toMatchObject({
      status: 'stopped',
      profile: 'dev',
      broker: 'deterministic',
      dryRun: true,
      marketDataMode: 'new',
      cycleCount: 1,
      lastCycleAt: '2026-03-02T14:30:01.000Z',
      orderStats: { attempted: 0, successful: 0, failed: 0, unknown: 0 },
      lastError: null,
    });
    const btc = (health.symbols as Record<string, { mark: string; markAgeSeconds: number; stale: boolean }>)[
      'BTC-PERP'
    ];
    expect(btc?.mark).toBe(t.bot.markWindows.latest('BTC-PERP')?.toFixed());
    expect(btc?.markAgeSeconds).toBe(1); // the quote was stamped one (manual) second before
    expect(btc?.stale).toBe(false);
    expect(existsSync(`${file}.${process.pid}.tmp`)).toBe(false);
  });

  it('USE_NEW_EXECUTION_SERVICE=shadow: the execution shadow’s tally in health.json, the run summary and /metrics', async () => {
    const t = await bot(FAST_MA, { dryRun: false }, { USE_NEW_EXECUTION_SERVICE: 'shadow' });
    const metrics = new BotMetrics(() => t.bot);
    for (let i = 0; i < 40; i++) {
      await t.bot.runCycle();
      metrics.observeCycle(undefined, 0, false, t.bot);
      (t.bot.clock as ManualClock).advance(1000);
    }
    await t.bot.settleExecutionShadow();
    metrics.observeCycle(undefined, 0, false, t.bot);
    const placed = t.bot.orderStats.successful;
    expect(placed).toBeGreaterThan(0);
    const health = healthSnapshot(
      t.bot,
      { status: 'running', cycleCount: 40, lastCycleAt: t.bot.clock.now(), lastError: null },
      { broker: 'deterministic' },
    );
    // Every decision that reached execution was compared (orders, and the skipped ones); the candidate's orders
    // went to its paper twin, one per order the control placed.
    const runs = health.executionShadow?.runs ?? 0;
    expect(runs).toBeGreaterThan(placed);
    expect(health.executionShadow).toEqual({
      runs,
      matched: runs,
      mismatched: 0,
      ignored: 0,
      candidateErrors: 0,
      skipped: 0,
      paperOrders: placed,
    });
    expect(health.shadow).toBeNull();
    expect(formatExecutionShadow(t.bot.executionShadowReport() as never)).toBe(
      `execution shadow: runs=${runs} matched=${runs} mismatched=0 ignored=0 candidateErrors=0 skipped=0 paperOrders=${placed}`,
    );
    expect(await metrics.registry.metrics()).toContain(
      `perps_bot_shadow_outcomes_total{experiment="execution_service",outcome="matched"} ${runs}`,
    );
  });
});
