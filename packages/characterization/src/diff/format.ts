import type { Json } from '../json/canonical.js';
import type { Difference, FieldDifference } from './diff.js';

export interface FormatOptions {
  /** Groups shown per section before "… and N more" (default 5). */
  readonly maxPerSection?: number;
  /** Fields shown per changed entry (default 6). */
  readonly maxFields?: number;
  /** Longest value text before it is cut (default 160 characters). */
  readonly maxValueLength?: number;
}

/**
 * A short text for a list of differences: grouped by section (channel or part of the final state), each
 * entry named by index and context, each changed entry reduced to the fields that differ. Entries changed in
 * exactly the same way (a wrong trim limit on every append) are shown once with the list of where else, so
 * the one entry that differs in another way is not hidden behind a hundred identical ones. Meant for an
 * assertion message and the record script's summary: small however large the documents are.
 */
export function formatDiff(differences: readonly Difference[], options: FormatOptions = {}): string {
  if (differences.length === 0) return 'no differences';
  const maxPerSection = options.maxPerSection ?? 5;
  const maxFields = options.maxFields ?? 6;
  const show = (value: Json | undefined): string =>
    shorten(value === undefined ? '<absent>' : JSON.stringify(value), options.maxValueLength ?? 160);
  const sections = new Map<string, Difference[]>();
  for (const d of differences) sections.set(d.section, [...(sections.get(d.section) ?? []), d]);
  const lines: string[] = [];
  for (const [section, diffs] of sections) {
    const name = section || '(root)';
    lines.push(`${name}: ${diffs.length} difference${diffs.length === 1 ? '' : 's'}`);
    const groups = groupSameChange(diffs);
    for (const group of groups.slice(0, maxPerSection)) {
      const d = group[0] as Difference;
      const others = group.slice(1).map((o) => o.at);
      const also =
        others.length === 0
          ? ''
          : ` (same change in ${others.length} more: ${others.slice(0, 6).join(', ')}${others.length > 6 ? ', …' : ''})`;
      const head = `  ${d.at}${d.context ? ` ${d.context}` : ''}`;
      if (d.kind === 'missing') {
        lines.push(`${head}: missing (expected ${show(d.expected)})${also}`);
      } else if (d.kind === 'unexpected') {
        lines.push(`${head}: unexpected (received ${show(d.received)})${also}`);
      } else if (d.fields && !(d.fields.length === 1 && d.fields[0]?.path === '')) {
        lines.push(`${head}${also}`);
        for (const f of d.fields.slice(0, maxFields)) lines.push(`      ${field(f, show)}`);
        if (d.fields.length > maxFields) lines.push(`      … and ${d.fields.length - maxFields} more fields`);
      } else {
        lines.push(`${head}: expected ${show(d.expected)}, received ${show(d.received)}${also}`);
      }
    }
    if (groups.length > maxPerSection) {
      const hidden = groups.slice(maxPerSection).reduce((n, g) => n + g.length, 0);
      lines.push(`  … and ${hidden} more in ${name}`);
    }
  }
  return lines.join('\n');
}

/** Changed entries with identical field differences form one group; every other difference is its own group. */
function groupSameChange(diffs: readonly Difference[]): Difference[][] {
  const groups: Difference[][] = [];
  const bySignature = new Map<string, Difference[]>();
  for (const d of diffs) {
    if (d.kind !== 'changed' || !d.fields) {
      groups.push([d]);
      continue;
    }
    const signature = JSON.stringify(d.fields);
    const group = bySignature.get(signature);
    if (group) {
      group.push(d);
    } else {
      const created = [d];
      bySignature.set(signature, created);
      groups.push(created);
    }
  }
  return groups;
}

function field(f: FieldDifference, show: (value: Json | undefined) => string): string {
  return `${f.path}: expected ${show(f.expected)}, received ${show(f.received)}`;
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
