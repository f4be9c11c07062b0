import { judgeMismatches, type IgnoreRule, type Mismatch } from '@perps-bot/core';
import { diffJson, type Difference } from '../diff/diff.js';
import { formatDiff } from '../diff/format.js';
import type { Recording } from '../kinds/kind.js';
import { canonicalJson, type Json } from '../json/canonical.js';
import { comparable } from './document.js';

/** How a candidate's recording relates to the control's: the same, different as a named rule says, or not. */
export type Comparison =
  | { readonly status: 'matched' }
  | { readonly status: 'ignored'; readonly rule: string }
  | { readonly status: 'mismatched'; readonly differences: readonly Difference[]; readonly message: string };

/** Which comparison the mismatches belong to, for the rules' context (defaults: experiment "harness"). */
interface CompareContext {
  readonly experiment?: string;
  readonly scenario?: string;
}

/**
 * Compares two recordings (live runs or golden files) as golden files are compared. Equal → matched.
 * Otherwise each differing section (a channel, a part of the final state) is one Mismatch in core's shared
 * ignore-rule vocabulary, the runtime shadows' too: path ("channels.effects", "final.windows"), both sides'
 * values there, and a context holding both recordings whole. Every mismatch accepted by a rule → ignored,
 * named by its rule (or rules, joined by " + "); any left → mismatched, with the short diff a failing golden
 * test prints, of the sections no rule accepted.
 */
export function compareRecordings(
  control: Recording,
  candidate: Recording,
  rules: readonly IgnoreRule[] = [],
  context: CompareContext = {},
): Comparison {
  const c = asJson(control);
  const k = asJson(candidate);
  const differences = diffJson(comparable(c as unknown as Json), comparable(k as unknown as Json));
  if (differences.length === 0) return { status: 'matched' };
  const { kept, ignoredBy } = judgeMismatches(
    sectionMismatches(c, k, { experiment: context.experiment ?? 'harness', ...context }),
    rules,
    (m) => m,
  );
  if (kept.length === 0) return { status: 'ignored', rule: [...ignoredBy.keys()].join(' + ') };
  const standing = kept.map((m) => m.path);
  const shown = differences.filter((d) => standing.some((p) => d.section === p || d.section.startsWith(`${p}.`) || (d.section === sectionOf(p) && d.at === keyOf(p))));
  return { status: 'mismatched', differences: shown, message: formatDiff(shown) };
}

/** One mismatch per channel and per final-state entry whose content differs between the two recordings. */
export function sectionMismatches(
  control: Recording,
  candidate: Recording,
  context: Mismatch['context'],
): Mismatch[] {
  const whole = { ...context, whole: { control, candidate } };
  const out: Mismatch[] = [];
  const compare = (part: 'channels' | 'final', a: Record<string, Json>, b: Record<string, Json>): void => {
    for (const name of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
      const x = a[name];
      const y = b[name];
      if (text(x) !== text(y)) out.push({ path: `${part}.${name}`, control: x, candidate: y, context: whole });
    }
  };
  compare('channels', control.channels, candidate.channels);
  compare('final', control.final, candidate.final);
  return out;
}

const text = (value: Json | undefined): string => (value === undefined ? '<absent>' : canonicalJson(value));
const sectionOf = (path: string): string => path.slice(0, path.lastIndexOf('.'));
const keyOf = (path: string): string => path.slice(path.lastIndexOf('.') + 1);

/** Only what JSON holds (as in a golden file): undefined fields dropped. */
function asJson(recording: Recording): Recording {
  const { channels, final } = JSON.parse(
    JSON.stringify({ channels: recording.channels, final: recording.final }),
  ) as Recording;
  return { channels, final };
}
