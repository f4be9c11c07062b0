import { diffJson, type Difference } from '../diff/diff.js';
import { formatDiff } from '../diff/format.js';
import type { IgnoreRule, Recording } from '../kinds/kind.js';
import type { Json } from '../json/canonical.js';
import { comparable } from './document.js';

/** How a candidate's recording relates to the control's: the same, different as a named rule says, or not. */
export type Comparison =
  | { readonly status: 'matched' }
  | { readonly status: 'ignored'; readonly rule: string }
  | { readonly status: 'mismatched'; readonly differences: readonly Difference[]; readonly message: string };

/**
 * Compares two recordings (live runs or golden files) as golden files are compared. Equal → matched.
 * Otherwise the first rule that explains the difference names it (ignored, and the caller counts it); no
 * rule → mismatched, with the same short diff a failing golden test prints.
 */
export function compareRecordings(control: Recording, candidate: Recording, rules: readonly IgnoreRule[] = []): Comparison {
  const c = asJson(control);
  const k = asJson(candidate);
  const differences = diffJson(comparable(c as unknown as Json), comparable(k as unknown as Json));
  if (differences.length === 0) return { status: 'matched' };
  for (const rule of rules) if (rule.explains(c, k)) return { status: 'ignored', rule: rule.name };
  return { status: 'mismatched', differences, message: formatDiff(differences) };
}

/** Only what JSON holds (as in a golden file): undefined fields dropped. */
function asJson(recording: Recording): Recording {
  const { channels, final } = JSON.parse(JSON.stringify({ channels: recording.channels, final: recording.final })) as Recording;
  return { channels, final };
}
