import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock, MemoryLogger } from '@perps-bot/core';
import { resolveStoragePaths, SqliteEventStore, SqliteOrdersStore } from '@perps-bot/stores';
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker } from './broker-factory.js';
import { loadConfig } from './config/index.js';
import { experimentsCommand, summariseExperiments } from './experiments-command.js';
import { buildTradingBot } from './wiring.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const KEY_NAME = 'organizations/secret-org/apiKeys/secret-key-id';
const PRIVATE_KEY = '-----BEGIN EC PRIVATE KEY-----\nTOPSECRETPEMBODY\n-----END EC PRIVATE KEY-----';

/** The app's bot (dev profile: deterministic broker, dry run) with both shadows on, its stores in a data dir. */
async function shadowRun(cycles: number, shadowEnv: NodeJS.ProcessEnv) {
  const dataDir = mkdtempSync(join(tmpdir(), 'perps-experiments-'));
  dirs.push(dataDir);
  const env = {
    PERPS_SHORT_MA: '2',
    PERPS_LONG_MA: '3',
    PERPS_SEED: '42',
    COINBASE_API_KEY_NAME: KEY_NAME,
    COINBASE_API_PRIVATE_KEY: PRIVATE_KEY,
  };
  const { config } = loadConfig({ env, flags: { dataDir } });
  const paths = resolveStoragePaths({ runtimeRoot: dataDir, profile: config.profile });
  mkdirSync(paths.storageDir, { recursive: true });
  const clock = new ManualClock('2026-03-02T14:30:00.000Z');
  const logger = new MemoryLogger();
  const eventStore = new SqliteEventStore({ file: paths.eventsFile, clock });
  const ordersStore = new SqliteOrdersStore({ file: join(paths.storageDir, 'orders.sqlite') });
  const { broker } = await createBroker({ config, credentials: undefined, clock, logger });
  const bot = await buildTradingBot(config, { broker, eventStore, ordersStore, logger, clock, env: shadowEnv });
  for (let i = 0; i < cycles; i++) {
    await bot.runCycle();
    clock.advance(1000);
  }
  eventStore.close();
  ordersStore.close();
  return { dataDir, config, eventsFile: paths.eventsFile };
}

function command(config: { dataDir: string; profile: 'dev' }, extra: { json?: boolean; show?: number } = {}) {
  let text = '';
  const stdout = { write: (chunk: string) => ((text += chunk), true) } as NodeJS.WritableStream;
  const code = experimentsCommand({
    config: { ...config, eventStoreRoot: undefined },
    cwd: process.cwd(),
    stdout,
    ...extra,
  });
  return { code, text };
}

const BOTH_SHADOWS = { USE_NEW_MARKET_DATA_SERVICE: 'shadow', USE_NEW_EXECUTION_SERVICE: 'shadow' };

describe('perps-bot experiments', () => {
  it('tallies both shadows of a run from the event store, and no record carries a credential', async () => {
    const run = await shadowRun(40, BOTH_SHADOWS);
    const { code, text } = command({ dataDir: run.dataDir, profile: 'dev' }, { json: true });
    expect(code).toBe(0);
    const { experiments } = JSON.parse(text) as { experiments: ReturnType<typeof summariseExperiments> };
    expect(experiments.map((e) => e.experiment)).toEqual(['execution', 'rest-marks']);
    const marks = experiments[1];
    expect(marks).toMatchObject({ cycles: 40, compared: 40, matches: 40, mismatches: 0, candidateErrors: 0 });
    expect(marks?.durationsMs.control.p50).toBeGreaterThanOrEqual(0);
    const execution = experiments[0];
    expect(execution?.compared).toBeGreaterThan(0);
    expect(execution?.matches).toBe(execution?.compared);
    // The bytes of the store: the credentials the app was configured with appear nowhere in it.
    const bytes = readFileSync(run.eventsFile).toString('latin1');
    for (const secret of ['secret-key-id', 'TOPSECRETPEMBODY', 'BEGIN EC PRIVATE KEY'])
      expect(bytes).not.toContain(secret);
    const table = command({ dataDir: run.dataDir, profile: 'dev' }).text;
    expect(table).toMatch(/^rest-marks\s+40\s+40\s+40\s+0\s+0\s+0\s+\d+\.\d{3} \/ \d+\.\d{3}/m);
  });

  it('counts the ramp-up: at 0 % every cycle is left to the control and nothing is compared', async () => {
    const run = await shadowRun(10, { ...BOTH_SHADOWS, USE_NEW_MARKET_DATA_SERVICE_SHADOW_PERCENT: '0' });
    const { text } = command({ dataDir: run.dataDir, profile: 'dev' }, { json: true });
    const marks = (JSON.parse(text) as { experiments: { experiment: string }[] }).experiments.find(
      (e) => e.experiment === 'rest-marks',
    );
    expect(marks).toMatchObject({ cycles: 10, skipped: 10, compared: 0, durationsMs: { control: { p50: null } } });
  });

  it('summarises outcomes by rule and lists the mismatch events; --show prints one record', () => {
    const event = (seq: number, payload: Record<string, unknown>) => ({
      seq,
      type: 'experiment_result',
      botId: 'b',
      time: 't',
      payload,
    });
    const summary = summariseExperiments([
      event(1, { experiment: 'x', cycle: 0, outcome: 'match', durations: { controlMs: 1, candidateMs: 3 } }),
      event(2, {
        experiment: 'x',
        cycle: 1,
        outcome: 'ignored',
        rules: ['r1'],
        durations: { controlMs: 2, candidateMs: 4 },
      }),
      event(3, {
        experiment: 'x',
        cycle: 2,
        outcome: 'mismatch',
        rules: ['r1'],
        durations: { controlMs: 3, candidateMs: 5 },
      }),
      event(4, {
        experiment: 'x',
        cycle: 3,
        outcome: 'candidate_error',
        durations: { controlMs: 4, candidateMs: 100 },
      }),
      event(5, { experiment: 'x', cycle: 4, outcome: 'skipped' }),
    ]);
    expect(summary).toEqual([
      {
        experiment: 'x',
        cycles: 5,
        skipped: 1,
        compared: 4,
        matches: 1,
        mismatches: 1,
        ignored: 1,
        ignoredByRule: { r1: 2 },
        candidateErrors: 1,
        durationsMs: { control: { p50: 2, p99: 4 }, candidate: { p50: 4, p99: 100 } },
        mismatchEvents: [3, 4],
      },
    ]);
  });

  it('says so, with exit 1, when the data directory has no event store', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'perps-experiments-empty-'));
    dirs.push(dataDir);
    const { code, text } = command({ dataDir, profile: 'dev' });
    expect(code).toBe(1);
    expect(text).toContain('no event store');
  });
});
