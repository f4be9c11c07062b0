import { isDeepStrictEqual } from 'node:util';
import type { StreamEffect, StreamRun } from './stream-effects.js';

/**
 * A known, accepted difference between the legacy stream loop (control) and the StreamingService
 * (candidate). It is consulted only at the first effect where the two runs differ, and must account for
 * everything that follows on both sides; a comparison it explains is reported as ignored under its name
 * and counted, never as matched.
 */
export interface StreamIgnoreRule {
  readonly name: string;
  readonly description: string;
  explains(legacyRest: readonly StreamEffect[], candidateRest: readonly StreamEffect[]): boolean;
}

const isEvent = (e: StreamEffect | undefined, type: string): boolean => e?.kind === 'event' && e.payload.event_type === type;

export const BAD_PRICE_TEXT: StreamIgnoreRule = {
  name: 'bad-price-text',
  description:
    'A last/price fallback that is not decimal text: the legacy loop raises, writes ws_stream_error and ws_stream_exit ' +
    'and ends; the StreamingService logs a warning naming the symbol, skips the message and keeps streaming.',
  explains(legacyRest, candidateRest) {
    const first = candidateRest[0];
    return (
      first?.kind === 'log' &&
      first.level === 'warn' &&
      first.fields.rule === 'bad-price-text' &&
      legacyRest.length === 2 &&
      isEvent(legacyRest[0], 'ws_stream_error') &&
      isEvent(legacyRest[1], 'ws_stream_exit')
    );
  },
};

export const STREAM_RECONNECT: StreamIgnoreRule = {
  name: 'stream-reconnect',
  description:
    'A stream that ends or fails while not stopped: the legacy loop writes ws_stream_exit and ends (it never ' +
    'reconnects); the StreamingService logs a warning, writes ws_stream_reconnect and reopens the stream.',
  explains(legacyRest, candidateRest) {
    const first = candidateRest[0];
    return (
      first?.kind === 'log' &&
      first.level === 'warn' &&
      first.message.startsWith('WS stream ended; reconnecting') &&
      isEvent(candidateRest[1], 'ws_stream_reconnect') &&
      legacyRest.length === 1 &&
      isEvent(legacyRest[0], 'ws_stream_exit')
    );
  },
};

export const STREAM_IGNORE_RULES: readonly StreamIgnoreRule[] = [BAD_PRICE_TEXT, STREAM_RECONNECT];

export type StreamComparison =
  | { readonly status: 'matched' }
  | { readonly status: 'ignored'; readonly rule: string; readonly at: number; readonly ignoredLegacy: number; readonly ignoredCandidate: number }
  | { readonly status: 'mismatched'; readonly at: number; readonly diff: string };

/**
 * Compares two runs effect by effect. Identical → matched. Otherwise the first differing effect is handed
 * to the named rules; one that explains the rest → ignored (with the rule's name and how many effects it
 * covered); none → mismatched, with a readable diff around the divergence.
 */
export function compareStreamRuns(
  legacy: StreamRun,
  candidate: StreamRun,
  rules: readonly StreamIgnoreRule[] = STREAM_IGNORE_RULES,
): StreamComparison {
  const l = legacy.effects;
  const c = candidate.effects;
  let at = 0;
  while (at < l.length && at < c.length && isDeepStrictEqual(l[at], c[at])) at++;
  if (at === l.length && at === c.length) {
    return isDeepStrictEqual(legacy.windows, candidate.windows)
      ? { status: 'matched' }
      : { status: 'mismatched', at, diff: `final windows differ\n  legacy:    ${JSON.stringify(legacy.windows)}\n  candidate: ${JSON.stringify(candidate.windows)}` };
  }
  const legacyRest = l.slice(at);
  const candidateRest = c.slice(at);
  for (const rule of rules) {
    if (rule.explains(legacyRest, candidateRest)) {
      return { status: 'ignored', rule: rule.name, at, ignoredLegacy: legacyRest.length, ignoredCandidate: candidateRest.length };
    }
  }
  return { status: 'mismatched', at, diff: renderDiff(l, c, at) };
}

function renderDiff(legacy: readonly StreamEffect[], candidate: readonly StreamEffect[], at: number): string {
  const show = (e: StreamEffect | undefined): string => (e === undefined ? '(nothing)' : JSON.stringify(e));
  const lines = [`effects differ at #${at}`];
  for (let i = Math.max(0, at - 2); i < at; i++) lines.push(`    #${i} both:      ${show(legacy[i])}`);
  for (let i = at; i < at + 3 && (i < legacy.length || i < candidate.length); i++) {
    lines.push(`  - #${i} legacy:    ${show(legacy[i])}`);
    lines.push(`  + #${i} candidate: ${show(candidate[i])}`);
  }
  return lines.join('\n');
}
