import { diffJson } from '../diff/diff.js';
import { formatDiff } from '../diff/format.js';
import type { AnyScenarioKind, BaseScenario, Recording, Runner } from '../kinds/kind.js';
import type { KindRegistry } from '../kinds/registry.js';
import { canonicalJson, type Json } from '../json/canonical.js';
import { goldenDocument } from './document.js';
import { goldenFileName, goldenPath, listGoldenFiles, readText, remove, writeText, type GoldenRole } from './store.js';

export interface RecordOptions {
  readonly registry: KindRegistry;
  readonly goldenDir: string;
  /** Compare only; write and delete nothing. */
  readonly check: boolean;
}

export interface RecordSummary {
  readonly added: string[];
  readonly changed: { readonly file: string; readonly diff: string }[];
  readonly unchanged: string[];
  /** Golden files whose scenario no longer exists (deleted when recording, reported by --check). */
  readonly orphaned: string[];
}

/**
 * The engine of `pnpm golden:record`: runs every scenario of every kind through the kind's control (the
 * legacy code) and writes the golden files; a scenario whose candidates differ on purpose (`differsUnder`)
 * also gets `<name>.candidate.json` from the first candidate. With `check`, only reports what writing would
 * change. Golden files are produced here and nowhere else.
 */
export async function recordGoldens(options: RecordOptions): Promise<RecordSummary> {
  const summary: RecordSummary = { added: [], changed: [], unchanged: [], orphaned: [] };
  const expected = new Set<string>();
  const write = (kind: AnyScenarioKind, scenario: BaseScenario, runner: Runner<BaseScenario>, role: GoldenRole, recording: Recording): void => {
    const file = goldenFileName(kind.name, scenario.name, role);
    const path = goldenPath(options.goldenDir, kind.name, scenario.name, role);
    expected.add(path);
    const text = canonicalJson(goldenDocument(kind, scenario, runner.name, recording, role));
    const existing = readText(path);
    if (existing === text) {
      summary.unchanged.push(file);
      return;
    }
    if (existing === undefined) summary.added.push(file);
    else summary.changed.push({ file, diff: describeChange(existing, text) });
    if (!options.check) writeText(path, text);
  };
  for (const kind of options.registry.list()) {
    for (const scenario of kind.scenarios) {
      const parsed = kind.parse(scenario);
      write(kind, scenario, kind.control, 'control', await kind.control.run(parsed));
      // A deliberate difference: the candidates' behaviour is pinned by its own file, recorded here too.
      const candidate = kind.candidates[0];
      if (scenario.differsUnder !== undefined && candidate) write(kind, scenario, candidate, 'candidate', await candidate.run(parsed));
    }
  }
  for (const golden of listGoldenFiles(options.goldenDir)) {
    if (expected.has(golden.path)) continue;
    summary.orphaned.push(golden.file);
    if (!options.check) remove(golden.path);
  }
  return summary;
}

function describeChange(before: string, after: string): string {
  let old: Json;
  try {
    old = JSON.parse(before) as Json;
  } catch {
    return 'the existing file is not valid JSON';
  }
  const differences = diffJson(old, JSON.parse(after) as Json);
  // Same data, different text: someone formatted the file by hand.
  return differences.length === 0 ? 'same data, different formatting (was the file edited by hand?)' : formatDiff(differences, { maxPerSection: 3 });
}

/** True when a --check run must fail: recording would add, change or delete a file. */
export function summaryHasChanges(summary: RecordSummary): boolean {
  return summary.added.length + summary.changed.length + summary.orphaned.length > 0;
}

export function formatSummary(summary: RecordSummary, check: boolean): string {
  const verb = check ? 'would be ' : '';
  const lines = [
    `golden files: ${summary.added.length} ${verb}added, ${summary.changed.length} ${verb}changed, ${summary.unchanged.length} unchanged, ` +
      `${summary.orphaned.length} ${check ? 'orphaned (no scenario; recording deletes them)' : 'deleted (no scenario)'}`,
  ];
  for (const file of summary.added) lines.push(`+ ${file}`);
  for (const file of summary.orphaned) lines.push(`- ${file}`);
  for (const { file, diff } of summary.changed) {
    lines.push(`~ ${file}`);
    lines.push(...diff.split('\n').map((l) => `    ${l}`));
  }
  return lines.join('\n');
}
