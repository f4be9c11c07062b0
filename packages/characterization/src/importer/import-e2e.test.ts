import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeterministicBroker } from '@perps-bot/broker-adapters';
import { ManualClock, MemoryLogger, type Brokerage } from '@perps-bot/core';
import { MarketDataService, type MarketDataServiceOptions } from '@perps-bot/market-data';
import { DEFAULT_BOT_CONFIG, EXPERIMENT_EVENT, PerpsBot, ServiceRegistry } from '@perps-bot/orchestration';
import { LiveRiskManager } from '@perps-bot/risk';
import { resolveStoragePaths, SqliteEventStore } from '@perps-bot/stores';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAgainstGolden } from '../golden/verify.js';
import type { Runner } from '../kinds/kind.js';
import { defaultRegistry } from '../kinds/default-registry.js';
import { markUpdateKind } from '../kinds/mark-update/kind.js';
import { runMarkUpdateOnBot } from '../kinds/mark-update/run-on-bot.js';
import type { MarkUpdateScenario } from '../kinds/mark-update/scenario.js';
import { importedScenarios, IMPORTED_DIR } from '../scenarios/imported/index.js';
import { importRecord } from './import-record.js';
import { recordFromStore } from './read-record.js';

/** The catalogue as the registry holds it. */
const markUpdateScenarios = defaultRegistry().scenarios(markUpdateKind);

// A production mismatch becomes a regression test, end to end: a bot in shadow mode whose candidate diverges
// (injected through the shadow's candidate seam, not a change to real code) stores a mismatch record; importing
// it writes a scenario and a golden file from the legacy path; the harness loads the scenario, and its golden
// check passes for legacy and fails for the divergent candidate.

/** Keeps four marks too many: the divergence, as a shadow candidate (options.markWindows is its scratch copy). */
const trimsLate = (options: MarketDataServiceOptions) => {
  (options.markWindows as { limit: number }).limit += 4;
  return new MarketDataService(options);
};

/** The same divergence as a golden-master candidate: the service, its store's trim widened the same way. */
const divergentRunner: Runner<MarkUpdateScenario> = {
  name: 'divergent-service',
  description: 'MarketDataService with a trim four marks too wide (a deliberate break)',
  run: (scenario) =>
    runMarkUpdateOnBot(scenario, {
      mode: 'new',
      patch: (bot) => {
        (bot.markWindows as { limit: number }).limit += 4;
      },
    }),
};

const dirs: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function shadowRun(dataDir: string, cycles: number): Promise<void> {
  const clock = new ManualClock('2026-03-02T14:30:00.000Z');
  const paths = resolveStoragePaths({ runtimeRoot: dataDir, profile: 'dev' });
  const { mkdirSync } = await import('node:fs');
  mkdirSync(paths.storageDir, { recursive: true });
  const eventStore = new SqliteEventStore({ file: paths.eventsFile, clock });
  const bot = new PerpsBot({
    config: { ...DEFAULT_BOT_CONFIG, symbols: ['BTC-PERP', 'ETH-PERP'], shortMa: 1, longMa: 2 },
    registry: new ServiceRegistry({
      broker: new DeterministicBroker({ clock, seed: 7 }) as unknown as Brokerage,
      riskManager: new LiveRiskManager({ clock }),
      eventStore,
    }),
    logger: new MemoryLogger(),
    clock,
    env: { USE_NEW_MARKET_DATA_SERVICE: 'shadow' },
    shadow: { candidate: trimsLate },
  });
  await bot.initialize();
  for (let i = 0; i < cycles; i++) {
    clock.advance(1000);
    await bot.updateMarks();
  }
  eventStore.close();
}

describe('golden:import, end to end', () => {
  it('turns a shadow mismatch of a running bot into a scenario whose golden check fails for the divergent candidate', async () => {
    const dataDir = temp('perps-import-data-');
    await shadowRun(dataDir, 9);
    const reader = new SqliteEventStore({
      file: resolveStoragePaths({ runtimeRoot: dataDir, profile: 'dev' }).eventsFile,
      readonly: true,
    });
    const records = reader.ofType(EXPERIMENT_EVENT);
    reader.close();
    // The candidate's windows carry a trim limit of 11, not 7, from the first cycle on; from the 8th cycle on
    // they also keep marks the control drops. The last record is the one imported: its windows start full.
    expect(records.map((r) => r.payload.outcome)).toEqual(Array(9).fill('mismatch'));
    const mismatch = records[8];
    if (mismatch?.seq === undefined) throw new Error('no mismatch event');

    const importedDir = temp('perps-imported-');
    const goldenDir = temp('perps-golden-');
    const options = {
      record: recordFromStore(mismatch.seq, { dataDir, profile: 'dev', cwd: process.cwd() }),
      registry: defaultRegistry(),
      importedDir,
      goldenDir,
    };
    // The committed example (src/scenarios/imported/mark-update/) is exactly what this run imports: its
    // default name is taken already, so this test imports it under its own.
    await expect(importRecord(options)).rejects.toThrow(
      'mark-update already has a scenario "shadow-rest-marks-c8-ac52e9fa"',
    );
    const result = await importRecord({ ...options, name: 'e2e-shadow-mismatch' });
    expect(result).toMatchObject({ kind: 'mark-update', name: 'e2e-shadow-mismatch' });

    // The kind's loader finds it, the kind's schema accepts it.
    const loaded = importedScenarios('mark-update', importedDir) as MarkUpdateScenario[];
    expect(loaded.map((s) => s.name)).toEqual([result.name]);
    const scenario = markUpdateKind.parse(loaded[0]);
    const kind = { ...markUpdateKind, scenarios: [...markUpdateScenarios, scenario] };

    const legacy = await verifyAgainstGolden(kind, scenario, markUpdateKind.control, goldenDir);
    expect(legacy).toMatchObject({ ok: true });
    for (const candidate of markUpdateKind.candidates)
      expect(await verifyAgainstGolden(kind, scenario, candidate, goldenDir), candidate.name).toMatchObject({
        ok: true,
      });
    const divergent = await verifyAgainstGolden(kind, scenario, divergentRunner, goldenDir);
    expect(divergent.ok).toBe(false);
    expect(divergent.ok ? '' : divergent.message).toMatch(/window/);
  });

  it('refuses a record without a reproduction (a match) and a name already taken', async () => {
    const base = { experiment: 'rest-marks', cycle: 3, fingerprint: 'f', outcome: 'match' };
    const options = { registry: defaultRegistry(), importedDir: temp('perps-i-'), goldenDir: temp('perps-g-') };
    await expect(importRecord({ ...options, record: base })).rejects.toThrow(/carries no reproduction/);
    const taken = markUpdateScenarios[0]?.name ?? '';
    await expect(
      importRecord({
        ...options,
        name: taken,
        record: { ...base, outcome: 'mismatch', reproduction: { kind: 'mark-update', scenario: {} } },
      }),
    ).rejects.toThrow(/already has a scenario/);
  });

  it('the committed imported scenarios are in their kinds’ catalogues (so `pnpm test` checks them)', () => {
    for (const kind of defaultRegistry().list()) {
      const names = new Set(kind.scenarios.map((s) => s.name));
      for (const imported of importedScenarios(kind.name, IMPORTED_DIR) as { name: string }[])
        expect(names.has(imported.name), `${kind.name}/${imported.name}`).toBe(true);
    }
    expect(importedScenarios('mark-update', IMPORTED_DIR).length).toBeGreaterThan(0);
  });
});
