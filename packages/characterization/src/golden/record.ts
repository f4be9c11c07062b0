import { diffJson } from '../diff/diff.js';
import { formatDiff } from '../diff/format.js';
import type { KindRegistry } from '../kinds/registry.js';
import { canonicalJson, type Json } from './canonical.js';
import { goldenDocument } from './document.js';
import { goldenPath, listGoldenFiles, readText, remove, writeText } from './store.js';

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
 * legacy code) and writes the golden files; with `check`, only reports what writing would change.
 * Golden files are produced here and nowhere else.
 */
export async function recordGoldens(options: RecordOptions): Promise<RecordSummary> {
  const summary: RecordSummary = { added: [], changed: [], unchanged: [], orphaned: [] };
  const expected = new Set<string>();
  for (const kind of options.registry.list()) {
    for (const scenario of kind.scenarios) {
      const file = `${kind.name}/${scenario.name}.json`;
      const path = goldenPath(options.goldenDir, kind.name, scenario.name);
      expected.add(path);
      const recording = await kind.control.run(kind.parse(scenario));
      const text = canonicalJson(goldenDocument(kind, scenario, kind.control.name, recording));
      const existing = readText(path);
      if (existing === text) {
        summary.unchanged.push(file);
        continue;
      }
      if (existing === undefined) summary.added.push(file);
      else summary.changed.push({ file, diff: describeChange(existing, text) });
      if (!options.check) writeText(path, text);
    }
  }
  for (const golden of listGoldenFiles(options.goldenDir)) {
    if (expected.has(golden.path)) continue;
    summary.orphaned.push(`${golden.kind}/${golden.scenario}.json`);
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
