import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../kinds/default-registry.js';
import { recordGoldens } from './record.js';
import { DEFAULT_GOLDEN_DIR, listGoldenFiles } from './store.js';
import { verifyAgainstGolden } from './verify.js';

// The golden masters: for every kind, every scenario, the control (legacy) and every candidate must
// reproduce the committed golden file exactly. A mismatch fails with a short diff and writes
// <scenario>.<runner>.received.json beside the golden file.

const registry = defaultRegistry();

class GoldenMismatch extends Error {
  override readonly name = 'GoldenMismatch';
}

describe.each(registry.list().map((kind) => [kind.name, kind] as const))('golden masters: %s', (_kindName, kind) => {
  const runners = [kind.control, ...kind.candidates];
  const scenarios = kind.scenarios.map((scenario) => [scenario.name, scenario] as const);

  describe.each(runners.map((runner) => [runner.name, runner] as const))('%s', (_runnerName, runner) => {
    it.each(scenarios)('reproduces %s', async (_name, scenario) => {
      const verdict = await verifyAgainstGolden(kind, scenario, runner, DEFAULT_GOLDEN_DIR);
      // Thrown as it is, so the failure shows the diff and nothing else.
      if (!verdict.ok) throw new GoldenMismatch(verdict.message);
      expect(verdict.ok).toBe(true);
    });
  });

  it('has exactly one golden file per scenario', () => {
    const onDisk = listGoldenFiles(DEFAULT_GOLDEN_DIR)
      .filter((f) => f.kind === kind.name)
      .map((f) => f.scenario)
      .sort();
    expect(onDisk).toEqual(kind.scenarios.map((s) => s.name).sort());
  });
});

describe('golden files', () => {
  it('are what `pnpm golden:record --check` expects: recording would change nothing', async () => {
    const summary = await recordGoldens({ registry, goldenDir: DEFAULT_GOLDEN_DIR, check: true });
    expect({ added: summary.added, changed: summary.changed, orphaned: summary.orphaned }).toEqual({ added: [], changed: [], orphaned: [] });
    expect(summary.unchanged.length).toBe(registry.list().reduce((n, k) => n + k.scenarios.length, 0));
  });
});
