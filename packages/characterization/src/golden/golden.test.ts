import { describe, expect, it } from 'vitest';
import type { Recording } from '../kinds/kind.js';
import { defaultRegistry } from '../kinds/default-registry.js';
import { compareRecordings } from './compare.js';
import { recordGoldens } from './record.js';
import { DEFAULT_GOLDEN_DIR, goldenFileName, goldenPath, listGoldenFiles, readJson } from './store.js';
import { verifyAgainstGolden } from './verify.js';

// The golden masters: for every kind, every scenario, the control (legacy) and every candidate must
// reproduce the committed golden file exactly. A mismatch fails with a short diff and writes
// <scenario>.<runner>.received.json beside the golden file. A scenario that declares `differsUnder` has a
// second file, <scenario>.candidate.json, which the candidates must reproduce instead, and the difference
// between the two files must be the one its named rule describes.

const registry = defaultRegistry();

class GoldenMismatch extends Error {
  override readonly name = 'GoldenMismatch';
}

describe.each(registry.list().map((kind) => [kind.name, kind] as const))('golden masters: %s', (_kindName, kind) => {
  const runners = [kind.control, ...kind.candidates];
  const scenarios = kind.scenarios.map((scenario) => [scenario.name, scenario] as const);

  describe.each(runners.map((runner) => [runner.name, runner] as const))('%s', (_runnerName, runner) => {
    // A scenario whose premise this runner cannot meet (Runner.notFor, listed below by name) is not its to reproduce.
    const own = scenarios.filter(([, scenario]) => runner.notFor?.(scenario) === undefined);
    it.each(own)('reproduces %s', async (_name, scenario) => {
      const verdict = await verifyAgainstGolden(kind, scenario, runner, DEFAULT_GOLDEN_DIR);
      // Thrown as it is, so the failure shows the diff and nothing else.
      if (!verdict.ok) throw new GoldenMismatch(verdict.message);
      expect(verdict.ok).toBe(true);
    });
  });

  it('has exactly the golden files its scenarios call for', () => {
    const onDisk = listGoldenFiles(DEFAULT_GOLDEN_DIR)
      .filter((f) => f.kind === kind.name)
      .map((f) => f.file)
      .sort();
    const expected = kind.scenarios.flatMap((s) => [
      goldenFileName(kind.name, s.name),
      ...(s.differsUnder === undefined ? [] : [goldenFileName(kind.name, s.name, 'candidate')]),
    ]);
    expect(onDisk).toEqual(expected.sort());
  });

  const differing = kind.scenarios.filter((s) => s.differsUnder !== undefined).map((s) => [s.name, s] as const);
  if (differing.length > 0) {
    it.each(differing)('%s: the control and candidate files differ exactly as its rule says', (_name, scenario) => {
      const read = (role: 'control' | 'candidate') => readJson(goldenPath(DEFAULT_GOLDEN_DIR, kind.name, scenario.name, role)) as unknown as Recording;
      const result = compareRecordings(read('control'), read('candidate'), kind.ignoreRules, { experiment: kind.name, scenario: scenario.name });
      expect(result.status === 'mismatched' ? result.message : result).toEqual({ status: 'ignored', rule: scenario.differsUnder });
    });
  }
});

describe('excluded channels', () => {
  // Every channel a candidate is not compared on, by name: adding one must change this list, never pass silently.
  it('are exactly the declared ones, each with a reason', () => {
    const exclusions = registry.list().flatMap((kind) =>
      kind.candidates.flatMap((runner) => Object.entries(runner.excludedChannels ?? {}).map(([channel, reason]) => ({ kind: kind.name, runner: runner.name, channel, reason }))),
    );
    expect(exclusions.map(({ kind, runner, channel }) => `${kind}/${runner}: ${channel}`)).toEqual(['mark-update/service-batched: brokerCalls']);
    for (const { reason } of exclusions) expect(reason.length).toBeGreaterThan(20);
    for (const kind of registry.list()) for (const runner of kind.candidates) for (const channel of Object.keys(runner.excludedChannels ?? {})) expect(kind.channels).toContain(channel);
  });
});

describe('scenarios a runner cannot be asked', () => {
  // Every (runner, scenario) pair left out by Runner.notFor, by name: adding one must change this list.
  it('are exactly the declared ones, each with its reason', () => {
    const left = registry.list().flatMap((kind) =>
      kind.candidates.flatMap((runner) =>
        kind.scenarios.flatMap((scenario) => {
          const reason = runner.notFor?.(scenario);
          return reason === undefined ? [] : [{ pair: `${kind.name}/${runner.name}: ${scenario.name}`, reason }];
        }),
      ),
    );
    expect(left.map((l) => l.pair)).toEqual(['mark-update/service-batched: btc-on-time-eth-late-across-cycles']);
    for (const { reason } of left) expect(reason.length).toBeGreaterThan(20);
  });
});

describe('golden files', () => {
  it('are what `pnpm golden:record --check` expects: recording would change nothing', async () => {
    const summary = await recordGoldens({ registry, goldenDir: DEFAULT_GOLDEN_DIR, check: true });
    expect({ added: summary.added, changed: summary.changed, orphaned: summary.orphaned }).toEqual({ added: [], changed: [], orphaned: [] });
    const files = registry.list().reduce((n, k) => n + k.scenarios.length + k.scenarios.filter((s) => s.differsUnder !== undefined).length, 0);
    expect(summary.unchanged.length).toBe(files);
  });
});
