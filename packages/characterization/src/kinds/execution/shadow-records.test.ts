import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  candidateRuns,
  ExecutionService,
  type ExecutionServiceOptions,
  type ExperimentRecord,
  type ShadowExecutionOptions,
} from '@perps-bot/orchestration';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAgainstGolden } from '../../golden/verify.js';
import { importRecord } from '../../importer/import-record.js';
import { doublesNotional, doublingRunner } from '../../importer/shadow-trading-run.js';
import { defaultRegistry } from '../default-registry.js';
import { executionKind } from './kind.js';
import { runExecutionCycle } from './run-cycle.js';
import type { ExecutionScenario } from './scenario.js';

/** The catalogue as the registry holds it. */
const executionScenarios = defaultRegistry().scenarios(executionKind);

// The execution shadow's records: one per decision that reaches execution, and for a mismatch a reproduction
// that `pnpm golden:import` turns into an execution scenario whose legacy run intends the same order.

/** Divergent on purpose (a test seam, not real code): the candidate sizes every order on twice the notional. */
const doubles = doublesNotional;

/** Divergent on purpose: the candidate never sees an earlier order of unknown outcome blocking the symbol. */
const forgetsBlocks = (options: ExecutionServiceOptions) =>
  new ExecutionService({
    ...options,
    outcomes: Object.assign(
      Object.create(options.outcomes ?? null) as NonNullable<ExecutionServiceOptions['outcomes']>,
      {
        isBlocked: () => false,
      },
    ),
  });

/** Divergent on purpose: the candidate takes every positions answer as showing our last fill. */
const ignoresLag = (options: ExecutionServiceOptions) =>
  new ExecutionService({
    ...options,
    positions: Object.assign(
      Object.create(options.positions ?? null) as NonNullable<ExecutionServiceOptions['positions']>,
      { isSettled: () => true },
    ),
  });

async function records(scenario: ExecutionScenario, shadow: ShadowExecutionOptions = {}): Promise<ExperimentRecord[]> {
  const out: ExperimentRecord[] = [];
  await runExecutionCycle(scenario, 'shadow', { shadow: { ...shadow, record: (r) => out.push(r) } });
  return out;
}

const named = (name: string): ExecutionScenario => {
  const s = executionScenarios.find((x) => x.name === name);
  if (!s) throw new Error(`no scenario ${name}`);
  return s;
};

/** Not in the catalogue: a BUY on a flat symbol finds it blocked at the lock (the close before it was lost). */
const buyBehindALostClose: ExecutionScenario = {
  ...named('next-cycle-waits-behind-a-lost-answer'),
  name: 'buy-behind-a-lost-close',
  decisions: { 'BTC-PERP': [{ action: 'CLOSE' }, { action: 'BUY', targetNotional: '10000' }] },
  positions: [
    { positions: [{ symbol: 'BTC-PERP', quantity: '0.2', entryPrice: '50000' }] },
    { positions: [{ symbol: 'BTC-PERP', quantity: '0.2', entryPrice: '50000' }], heldForNextCycle: true },
    { positions: [] },
  ],
};

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('execution shadow records', () => {
  it('records every comparison over the catalogue: matches and the one mismatch by design', async () => {
    const outcomes: string[] = [];
    for (const scenario of executionScenarios) {
      for (const r of await records(scenario)) {
        outcomes.push(`${scenario.name} ${r.outcome}`);
        expect(r).toMatchObject({ experiment: 'execution', symbols: [expect.any(String)] });
        expect(r.durations?.controlMs).toBeGreaterThanOrEqual(0);
        if (r.outcome === 'match') expect(r.reproduction).toBeUndefined();
      }
    }
    // Two overlapping cycles (overlap.ts) match too: the candidate is told what the control found inside the
    // executor's lock (see shadow.test.ts).
    expect(outcomes.filter((o) => !o.endsWith(' match'))).toEqual(['intent-store-fails mismatch']);
    expect(outcomes.length).toBeGreaterThan(20);
  });

  it('leaves the cycles the ramp-up does not pick to the control alone', async () => {
    const scenario = { ...named('two-symbols-both-order'), cycles: 12, name: 'ramp' };
    let built = 0;
    const out = await records(scenario, {
      percent: 40,
      candidate: (o) => (built++, new ExecutionService(o)),
    });
    const picked = out.filter((r) => r.outcome !== 'skipped').map((r) => r.cycle);
    const expected = [...new Set(out.map((r) => r.cycle))].filter((c) => candidateRuns('execution', c, 40));
    expect(picked.length).toBe(built);
    expect([...new Set(picked)]).toEqual(expected);
    expect(out.some((r) => r.outcome === 'skipped')).toBe(true);
  });

  it('a mismatch carries a reproduction whose legacy run intends the same order as the control did', async () => {
    let checked = 0;
    for (const scenario of executionScenarios.filter((s) => s.cycles === 1)) {
      for (const r of (await records(scenario, { candidate: doubles })).filter((x) => x.reproduction)) {
        const replay = { name: 'replay', description: 'replay', ...r.reproduction?.scenario } as ExecutionScenario;
        const again = await records(executionKind.parse(replay), { candidate: doubles });
        const intent = (x: ExperimentRecord | undefined) =>
          JSON.stringify(x?.differences?.[0]?.control ?? x?.outcome).replace(/cid-\d+|pb-[0-9a-f-]+/, 'cid');
        expect(intent(again[0]), `${scenario.name} ${r.symbols.join()}`).toBe(intent(r));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('a mismatch after earlier cycles left the symbol blocked or unsettled: its reproduction’s legacy run intends the same order', async () => {
    // The cycle holds a blocked or unsettled symbol itself; the executor finds one so only when an earlier cycle,
    // still running, changed it while this one waited at the lock (the overlap scenarios). Every multi-cycle
    // scenario (and a BUY on a flat symbol behind a lost CLOSE), with three divergent candidates: the replay's last
    // cycle for the symbol intends what the control did.
    const checked: string[] = [];
    const ids = (text: string) => text.replace(/cid-\d+|pb-[0-9a-f-]+/g, 'cid');
    const intent = (x: ExperimentRecord | undefined) => ids(JSON.stringify(x?.differences?.[0]?.control ?? x?.outcome));
    for (const [name, candidate] of [
      ['doubles', doubles],
      ['forgets-blocks', forgetsBlocks],
      ['ignores-lag', ignoresLag],
    ] as const) {
      for (const scenario of [...executionScenarios.filter((s) => s.cycles > 1), buyBehindALostClose]) {
        for (const r of (await records(scenario, { candidate })).filter((x) => x.reproduction)) {
          const replay = executionKind.parse({ name: 'replay', description: 'replay', ...r.reproduction?.scenario });
          // Records come as comparisons finish, not in cycle order: the imported cycle is the replay's last.
          const again = (await records(replay, { candidate })).find(
            (x) => x.symbols[0] === r.symbols[0] && x.cycle === replay.cycles,
          );
          expect(intent(again), `${name} ${scenario.name} cycle ${r.cycle} ${r.symbols.join()}`).toBe(intent(r));
          checked.push(`${name} ${scenario.name}`);
        }
      }
    }
    expect(checked).toEqual(
      expect.arrayContaining([
        'forgets-blocks next-cycle-waits-behind-a-lost-answer',
        'forgets-blocks buy-behind-a-lost-close',
        'ignores-lag next-cycle-close-behind-an-unseen-fill',
        'doubles unknown-blocks-symbol',
        'doubles positions-lag-our-fill',
        'doubles executor-client-ids',
      ]),
    );
  });

  it('golden:import: the imported scenario passes for legacy and the real candidates, fails for the divergent one', async () => {
    const [mismatch] = await records(named('quantity-rounded-down-to-step'), { candidate: doubles });
    expect(mismatch?.outcome).toBe('mismatch');
    const importedDir = mkdtempSync(join(tmpdir(), 'perps-imported-'));
    const goldenDir = mkdtempSync(join(tmpdir(), 'perps-golden-'));
    dirs.push(importedDir, goldenDir);
    const result = await importRecord({
      record: mismatch as ExperimentRecord,
      registry: defaultRegistry(),
      importedDir,
      goldenDir,
      name: 'imported-doubling',
    });
    expect(result.kind).toBe('execution');
    const { importedScenarios } = await import('../../scenarios/imported/index.js');
    const scenario = executionKind.parse(importedScenarios('execution', importedDir)[0]);
    const kind = { ...executionKind, scenarios: [...executionScenarios, scenario] };
    for (const runner of [executionKind.control, ...executionKind.candidates])
      expect(await verifyAgainstGolden(kind, scenario, runner, goldenDir), runner.name).toMatchObject({ ok: true });
    expect((await verifyAgainstGolden(kind, scenario, doublingRunner, goldenDir)).ok).toBe(false);
  });
});
