import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BaseScenario, ScenarioKind } from '../kinds/kind.js';
import { KindRegistry } from '../kinds/registry.js';
import { formatSummary, recordGoldens, summaryHasChanges } from './record.js';
import { goldenPath, listGoldenFiles, receivedPath } from './store.js';
import { verifyAgainstGolden } from './verify.js';

// The record engine and the verifier on a throwaway kind in a temporary directory: nothing here touches
// the committed golden files.

interface EchoScenario extends BaseScenario {
  readonly values: number[];
}

const scenarios: EchoScenario[] = [
  { name: 'one', description: 'one value', values: [1] },
  { name: 'two', description: 'two values', values: [1, 2] },
];

function echoKind(factor = 1, list: EchoScenario[] = scenarios): ScenarioKind<EchoScenario> {
  const run = async (s: EchoScenario) => ({
    channels: { out: s.values.map((v) => ({ cycle: 0, effect: 'echo', value: v * factor })) },
    final: { zLast: s.values.at(-1) ?? null, count: s.values.length },
  });
  return {
    name: 'echo',
    description: 'echoes its values',
    channels: ['out'],
    scenarios: list,
    control: { name: 'control', description: 'the control', run },
    candidates: [],
    parse: (s) => s as EchoScenario,
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'golden-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A kind with its catalogue, as register() takes it. */
const split = ({ scenarios: list, ...definition }: ScenarioKind<EchoScenario>) => [definition, list] as const;
const registry = (kind: ScenarioKind<EchoScenario>) => new KindRegistry().register(...split(kind));

describe('recordGoldens', () => {
  it('writes one canonical file per scenario, then finds nothing to change', async () => {
    const first = await recordGoldens({ registry: registry(echoKind()), goldenDir: dir, check: false });
    expect(first.added).toEqual(['echo/one.json', 'echo/two.json']);
    const text = readFileSync(goldenPath(dir, 'echo', 'two'), 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    expect(text.indexOf('"count"')).toBeLessThan(text.indexOf('"zLast"'));
    expect(text).toContain('\n  "final": {\n    "count": 2,');
    const second = await recordGoldens({ registry: registry(echoKind()), goldenDir: dir, check: true });
    expect(second.unchanged).toEqual(['echo/one.json', 'echo/two.json']);
    expect(summaryHasChanges(second)).toBe(false);
  });

  it('in check mode reports a change with a short diff and writes nothing', async () => {
    await recordGoldens({ registry: registry(echoKind()), goldenDir: dir, check: false });
    const before = readFileSync(goldenPath(dir, 'echo', 'two'), 'utf8');
    const summary = await recordGoldens({ registry: registry(echoKind(10)), goldenDir: dir, check: true });
    expect(summaryHasChanges(summary)).toBe(true);
    expect(summary.changed.map((c) => c.file)).toEqual(['echo/one.json', 'echo/two.json']);
    expect(summary.changed[1]?.diff).toBe(
      ['channels.out: 2 differences', '  [0] cycle 0 · echo', '      value: expected 1, received 10', '  [1] cycle 0 · echo', '      value: expected 2, received 20'].join('\n'),
    );
    expect(readFileSync(goldenPath(dir, 'echo', 'two'), 'utf8')).toBe(before);
    expect(formatSummary(summary, true)).toMatch(/^golden files: 0 would be added, 2 would be changed, 0 unchanged/);
  });

  it('flags a golden file without a scenario in check mode and deletes it when recording', async () => {
    await recordGoldens({ registry: registry(echoKind()), goldenDir: dir, check: false });
    writeFileSync(join(dir, 'echo', 'gone.json'), '{}\n');
    writeFileSync(receivedPath(dir, 'echo', 'one', 'control'), '{}\n');
    const check = await recordGoldens({ registry: registry(echoKind()), goldenDir: dir, check: true });
    expect(check.orphaned).toEqual(['echo/gone.json']);
    expect(existsSync(join(dir, 'echo', 'gone.json'))).toBe(true);
    const write = await recordGoldens({ registry: registry(echoKind()), goldenDir: dir, check: false });
    expect(write.orphaned).toEqual(['echo/gone.json']);
    expect(listGoldenFiles(dir).map((f) => f.scenario)).toEqual(['one', 'two']);
  });

  it('names a file edited by hand into a different layout', async () => {
    await recordGoldens({ registry: registry(echoKind()), goldenDir: dir, check: false });
    const path = goldenPath(dir, 'echo', 'one');
    writeFileSync(path, JSON.stringify(JSON.parse(readFileSync(path, 'utf8'))));
    const summary = await recordGoldens({ registry: registry(echoKind()), goldenDir: dir, check: true });
    expect(summary.changed).toEqual([{ file: 'echo/one.json', diff: 'same data, different formatting (was the file edited by hand?)' }]);
  });
});

describe('verifyAgainstGolden', () => {
  it('passes a runner that reproduces the file and removes a stale received file', async () => {
    const kind = echoKind();
    await recordGoldens({ registry: registry(kind), goldenDir: dir, check: false });
    const received = receivedPath(dir, 'echo', 'two', 'control');
    writeFileSync(received, '{}');
    expect(await verifyAgainstGolden(kind, scenarios[1] as EchoScenario, kind.control, dir)).toEqual({ ok: true });
    expect(existsSync(received)).toBe(false);
  });

  it('fails a runner that differs, with the diff in the message and the full output beside the golden file', async () => {
    await recordGoldens({ registry: registry(echoKind()), goldenDir: dir, check: false });
    const broken = echoKind(3);
    const verdict = await verifyAgainstGolden(broken, scenarios[0] as EchoScenario, { ...broken.control, name: 'broken' }, dir);
    expect(verdict.ok).toBe(false);
    const message = verdict.ok ? '' : verdict.message;
    expect(message).toContain('broken does not reproduce golden echo/one (1 difference)');
    expect(message).toContain('  [0] cycle 0 · echo\n      value: expected 1, received 3');
    const received = JSON.parse(readFileSync(receivedPath(dir, 'echo', 'one', 'broken'), 'utf8')) as { recordedWith: string };
    expect(received.recordedWith).toBe('broken');
  });

  it('asks for a re-record when the golden file is missing or the scenario changed', async () => {
    const kind = echoKind();
    const missing = await verifyAgainstGolden(kind, scenarios[0] as EchoScenario, kind.control, dir);
    expect(missing).toEqual({ ok: false, message: expect.stringContaining('no golden file for echo/one') });
    await recordGoldens({ registry: registry(kind), goldenDir: dir, check: false });
    const edited = { ...(scenarios[0] as EchoScenario), values: [5] };
    const verdict = await verifyAgainstGolden(kind, edited, kind.control, dir);
    expect(verdict).toEqual({ ok: false, message: expect.stringMatching(/scenario echo\/one changed since its golden file was recorded .*pnpm golden:record/) });
  });
});

/** The echo kind with a candidate that doubles, and a rule that names exactly that difference. */
function doublingKind(list: EchoScenario[]): ScenarioKind<EchoScenario> {
  const base = echoKind(1, list);
  const doubled = echoKind(2, list);
  return {
    ...base,
    candidates: [{ ...doubled.control, name: 'doubler' }],
    ignoreRules: [
      {
        name: 'doubled',
        reason: 'the candidate doubles every value',
        ignores: (m) =>
          m.path === 'channels.out' &&
          JSON.stringify((m.control as { value: number }[]).map((e) => 2 * Number(e.value))) ===
            JSON.stringify((m.candidate as { value: number }[]).map((e) => e.value)),
      },
    ],
  };
}

describe('scenarios whose candidates differ on purpose', () => {
  const list: EchoScenario[] = [scenarios[0] as EchoScenario, { ...(scenarios[1] as EchoScenario), differsUnder: 'doubled' }];

  it('get a second, labelled golden file recorded from the first candidate', async () => {
    const summary = await recordGoldens({ registry: registry(doublingKind(list)), goldenDir: dir, check: false });
    expect(summary.added).toEqual(['echo/one.json', 'echo/two.json', 'echo/two.candidate.json']);
    const candidate = JSON.parse(readFileSync(goldenPath(dir, 'echo', 'two', 'candidate'), 'utf8')) as Record<string, unknown>;
    expect(candidate).toMatchObject({ role: 'candidate', recordedWith: 'doubler', differsUnder: 'doubled', controlGolden: 'echo/two.json' });
    expect(String(candidate.about)).toMatch(/^CANDIDATE golden, recorded from doubler/);
    expect(Object.keys(candidate)[0]).toBe('about');
    const control = JSON.parse(readFileSync(goldenPath(dir, 'echo', 'two'), 'utf8')) as Record<string, unknown>;
    expect(control).toMatchObject({ recordedWith: 'control', differsUnder: 'doubled', candidateGolden: 'echo/two.candidate.json' });
    expect(listGoldenFiles(dir).map((f) => `${f.scenario}:${f.role}`)).toEqual(['one:control', 'two:candidate', 'two:control']);
  });

  it('are verified file by file: the control against its own, each candidate against the candidate file', async () => {
    const kind = doublingKind(list);
    await recordGoldens({ registry: registry(kind), goldenDir: dir, check: false });
    const two = list[1] as EchoScenario;
    const doubler = kind.candidates[0] as (typeof kind.candidates)[0];
    expect(await verifyAgainstGolden(kind, two, kind.control, dir)).toEqual({ ok: true });
    expect(await verifyAgainstGolden(kind, two, doubler, dir)).toEqual({ ok: true });
    // Where no difference is declared the candidate must reproduce the control's file, and does not.
    const verdict = await verifyAgainstGolden(kind, list[0] as EchoScenario, doubler, dir);
    expect(verdict.ok === false && verdict.message).toContain('doubler does not reproduce golden echo/one (1 difference)');
    const tripler = { ...echoKind(3, list).control, name: 'tripler' };
    const wrong = await verifyAgainstGolden(kind, two, tripler, dir);
    expect(wrong.ok === false && wrong.message).toContain('tripler does not reproduce golden echo/two.candidate (2 differences)');
  });

  it('lose their candidate file when the difference is no longer declared', async () => {
    await recordGoldens({ registry: registry(doublingKind(list)), goldenDir: dir, check: false });
    const summary = await recordGoldens({ registry: registry(doublingKind(scenarios)), goldenDir: dir, check: true });
    expect(summary.orphaned).toEqual(['echo/two.candidate.json']);
  });
});

describe('KindRegistry', () => {
  it('refuses duplicate kinds and duplicate scenario names', () => {
    expect(() => new KindRegistry().register(...split(echoKind())).register(...split(echoKind()))).toThrow('registered twice');
    expect(() => new KindRegistry().register(...split(echoKind(1, [...scenarios, scenarios[0] as EchoScenario])))).toThrow('"echo/one" is defined twice');
    expect(() => new KindRegistry().get('stream')).toThrow('Unknown scenario kind "stream"');
  });
});
