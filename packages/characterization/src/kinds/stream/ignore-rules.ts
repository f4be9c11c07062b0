import type { IgnoreRule, Mismatch } from '@perps-bot/core';
import { sortKeys, type Json } from '../../json/canonical.js';
import type { Recording } from '../kind.js';

// The two deliberate differences between the legacy stream loop (control) and the StreamingService
// (candidate), in core's shared ignore-rule vocabulary. Each rule looks only at the first effect where the
// two `channels.effects` part, and must account for everything after it on the control's side: the legacy
// loop ends there, so what it did next is fixed; the candidate goes on, and what it does then is pinned by the
// scenario's `.candidate.json` golden file. A difference in the final state (windows, risk timestamps) is
// that going on, so it is accepted only in a comparison whose effects part as the rule says.

type Entry = { [key: string]: Json };

const asEntry = (value: Json | undefined): Entry | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;

const args = (entry: Entry | undefined): Json[] => (Array.isArray(entry?.args) ? entry.args : []);

/** An event-store metric write of the given type (the payload is the second argument: botId, payload). */
function isMetric(entry: Entry | undefined, type: string): boolean {
  return entry?.effect === 'eventStore.appendMetric' && asEntry(args(entry)[1])?.event_type === type;
}

/** A log record at `level` whose message starts with `prefix`. */
function isLog(entry: Entry | undefined, level: string, prefix: string): boolean {
  const message = args(entry)[0];
  return entry?.effect === `log.${level}` && typeof message === 'string' && message.startsWith(prefix);
}

/** A metric write, followed by the loop's "Failed to record …" error when the write threw. */
function metricWithFailure(rest: readonly Entry[], at: number, type: string, what: string): number | undefined {
  const entry = rest[at];
  if (!isMetric(entry, type)) return undefined;
  if (entry?.threw === undefined) return at + 1;
  return isLog(rest[at + 1], 'error', `Failed to record WS stream ${what} metric`) ? at + 2 : undefined;
}

/** The effects after the first difference, on both sides (same alignment as a human reading the two files). */
function divergence(control: readonly Json[], candidate: readonly Json[]): { control: Entry[]; candidate: Entry[] } {
  const a = control.map(asEntry);
  const b = candidate.map(asEntry);
  const key = (e: Entry | undefined): string => JSON.stringify(e === undefined ? null : sortKeys(e));
  let at = 0;
  while (at < a.length && at < b.length && key(a[at]) === key(b[at])) at++;
  const defined = (list: (Entry | undefined)[]): Entry[] => list.map((e) => e ?? {});
  return { control: defined(a.slice(at)), candidate: defined(b.slice(at)) };
}

const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);

/**
 * A stream rule: `parts` says whether the effects after the first difference are the rule's; the final state
 * is accepted as its consequence only when the whole recordings' effects part that way.
 */
function streamRule(name: string, reason: string, parts: (rest: ReturnType<typeof divergence>) => boolean): IgnoreRule {
  const effectsPart = (control: unknown, candidate: unknown): boolean =>
    parts(divergence(list(control), list(candidate)));
  return {
    name,
    reason,
    ignores(m: Mismatch): boolean {
      if (m.path === 'channels.effects') return effectsPart(m.control, m.candidate);
      if (!m.path.startsWith('final.')) return false;
      const whole = m.context.whole as { control: Recording; candidate: Recording } | undefined;
      return whole !== undefined && effectsPart(whole.control.channels.effects, whole.candidate.channels.effects);
    },
  };
}

export const BAD_PRICE_TEXT: IgnoreRule = streamRule(
  'bad-price-text',
  'A last/price fallback that is not decimal text: the legacy loop raises, writes ws_stream_error ("Invalid price …") and ' +
    'ws_stream_exit and ends; the StreamingService logs a warning naming the symbol, skips the message and keeps streaming.',
  (rest) => {
    const first = rest.candidate[0];
    const error = asEntry(args(rest.control[0])[1]);
    const afterError = metricWithFailure(rest.control, 0, 'ws_stream_error', 'error');
    const end =
      afterError === undefined ? undefined : metricWithFailure(rest.control, afterError, 'ws_stream_exit', 'exit');
    return (
      isLog(first, 'warn', 'Skipping stream message with bad price') &&
      asEntry(args(first)[1])?.rule === 'bad-price-text' &&
      typeof error?.message === 'string' &&
      error.message.startsWith('Invalid price') &&
      end === rest.control.length
    );
  },
);

export const STREAM_RECONNECT: IgnoreRule = streamRule(
  'stream-reconnect',
  'A stream that ends or fails while not stopped: the legacy loop writes ws_stream_exit and ends (it never reconnects); ' +
    'the StreamingService logs a warning, writes ws_stream_reconnect and reopens the stream after its backoff.',
  (rest) =>
    isLog(rest.candidate[0], 'warn', 'WS stream ended; reconnecting') &&
    isMetric(rest.candidate[1], 'ws_stream_reconnect') &&
    metricWithFailure(rest.control, 0, 'ws_stream_exit', 'exit') === rest.control.length,
);

/** The rest after the divergence is the same on both sides once `controlExtra`/`candidateExtra` leading entries are dropped. */
function sameAfter(
  rest: { control: Entry[]; candidate: Entry[] },
  controlExtra: number,
  candidateExtra: number,
): boolean {
  const key = (list: Entry[]): string => JSON.stringify(list.map((e) => sortKeys(e)));
  return key(rest.control.slice(controlExtra)) === key(rest.candidate.slice(candidateExtra));
}

const DUPLICATE_START: IgnoreRule = streamRule(
  'duplicate-start',
  'startStreaming() while a stream runs: the legacy loop (the reference quirk) logs "Started WS streaming thread" and opens a ' +
    'second stream beside the first, whose handle it then loses; the StreamingService logs "Streaming already running" at debug ' +
    'and keeps its one stream. Everything else is the same.',
  (rest) => {
    const open = rest.control[1];
    return (
      isLog(rest.control[0], 'info', 'Started WS streaming thread') &&
      (open?.effect === 'source.streamOrderbook' || open?.effect === 'source.streamTrades') &&
      isLog(rest.candidate[0], 'debug', 'Streaming already running; skipping duplicate start') &&
      sameAfter(rest, 2, 1)
    );
  },
);

const NO_SYMBOLS_LOG: IgnoreRule = streamRule(
  'no-symbols-log',
  'A bot with no symbols: neither loop opens a stream; the legacy start returns silently, the StreamingService says ' +
    '"No symbols configured; skipping streaming start" at info. Everything else is the same.',
  (rest) =>
    isLog(rest.candidate[0], 'info', 'No symbols configured; skipping streaming start') && sameAfter(rest, 0, 1),
);

export const STREAM_IGNORE_RULES: readonly IgnoreRule[] = [
  BAD_PRICE_TEXT,
  STREAM_RECONNECT,
  DUPLICATE_START,
  NO_SYMBOLS_LOG,
];
