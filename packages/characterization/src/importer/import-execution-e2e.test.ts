import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXPERIMENT_EVENT } from '@perps-bot/orchestration';
import { resolveStoragePaths, SqliteEventStore } from '@perps-bot/stores';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_GOLDEN_DIR } from '../golden/store.js';
import { verifyAgainstGolden } from '../golden/verify.js';
import { defaultRegistry } from '../kinds/default-registry.js';
import { executionKind } from '../kinds/execution/kind.js';
import type { ExecutionScenario } from '../kinds/execution/scenario.js';
import { importedScenarios, IMPORTED_DIR } from '../scenarios/imported/index.js';
import { importRecord } from './import-record.js';
import { recordFromStore } from './read-record.js';
import { doublingRunner, shadowTradingRun } from './shadow-trading-run.js';

// An execution shadow mismatch of a running bot becomes a regression test, end to end: the bot trades on the
// deterministic paper broker in USE_NEW_EXECUTION_SERVICE=shadow with a candidate that sizes on twice the
// notional (through the shadow's candidate seam); its mismatch record, imported, is a scenario whose golden
// check passes for legacy and the real candidates and fails for the doubling one.

const COMMITTED = 'shadow-execution-c1-ad121399';

const dirs: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('golden:import of an execution mismatch, end to end', () => {
  it('turns the shadow mismatch of a trading bot into a scenario whose golden check fails for the divergent candidate', async () => {
    const dataDir = temp('perps-exec-import-data-');
    await shadowTradingRun(dataDir, 2);
    const reader = new SqliteEventStore({
      file: resolveStoragePaths({ runtimeRoot: dataDir, profile: 'dev' }).eventsFile,
      readonly: true,
    });
    const records = reader.ofType(EXPERIMENT_EVENT);
    reader.close();
    // Cycle 1 buys (the doubled candidate intends twice the size), cycle 2 closes (no notional to double).
    expect(records.map((r) => `${String(r.payload.cycle)} ${String(r.payload.outcome)}`)).toEqual([
      '1 mismatch',
      '2 match',
    ]);
    const mismatch = records[0];
    if (mismatch?.seq === undefined) throw new Error('no mismatch event');

    const importedDir = temp('perps-exec-imported-');
    const goldenDir = temp('perps-exec-golden-');
    const options = {
      record: recordFromStore(mismatch.seq, { dataDir, profile: 'dev', cwd: process.cwd() }),
      registry: defaultRegistry(),
      importedDir,
      goldenDir,
    };
    // The committed example (src/scenarios/imported/execution/) is exactly what this run imports: its default
    // name is taken already, so this test imports it under its own.
    await expect(importRecord(options)).rejects.toThrow(`execution already has a scenario "${COMMITTED}"`);
    const result = await importRecord({ ...options, name: 'e2e-execution-mismatch' });
    expect(result).toMatchObject({ kind: 'execution', name: 'e2e-execution-mismatch' });

    const loaded = importedScenarios('execution', importedDir) as ExecutionScenario[];
    expect(loaded.map((s) => s.name)).toEqual([result.name]);
    const scenario = executionKind.parse(loaded[0]);
    const committed = (importedScenarios('execution', IMPORTED_DIR) as ExecutionScenario[]).find(
      (s) => s.name === COMMITTED,
    );
    // The same scenario as the committed one but for its name and description (event id, config).
    const { name: _n, description: _d, ...body } = scenario;
    expect(committed && { ...committed, name: undefined, description: undefined }).toEqual({
      ...body,
      name: undefined,
      description: undefined,
    });

    const kind = { ...executionKind, scenarios: [...defaultRegistry().scenarios(executionKind), scenario] };
    for (const runner of [executionKind.control, ...executionKind.candidates])
      expect(await verifyAgainstGolden(kind, scenario, runner, goldenDir), runner.name).toMatchObject({ ok: true });
    const divergent = await verifyAgainstGolden(kind, scenario, doublingRunner, goldenDir);
    expect(divergent.ok).toBe(false);
    expect(divergent.ok ? '' : divergent.message).toMatch(/quantity/);
  });

  it('the committed example is in the execution catalogue and fails for the doubling candidate', async () => {
    const kind = { ...executionKind, scenarios: defaultRegistry().scenarios(executionKind) };
    const scenario = kind.scenarios.find((s) => s.name === COMMITTED);
    if (!scenario) throw new Error(`${COMMITTED} is not in the execution catalogue`);
    for (const runner of [executionKind.control, ...executionKind.candidates])
      expect(await verifyAgainstGolden(kind, scenario, runner, DEFAULT_GOLDEN_DIR), runner.name).toMatchObject({
        ok: true,
      });
    expect((await verifyAgainstGolden(kind, scenario, doublingRunner, DEFAULT_GOLDEN_DIR)).ok).toBe(false);
  });
});
