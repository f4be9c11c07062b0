import type { LogRecord } from '@perps-bot/core';
import type { FaultKind, FaultRecord } from '@perps-bot/exchange-sim';

/** How one injected fault was found in the bot's log, or why it was not. */
export interface FaultMatch {
  readonly fault: FaultRecord;
  /** Index of the log record it was matched to (each record matches at most one fault). */
  readonly record: number | undefined;
}

export interface FaultMatching {
  readonly matches: readonly FaultMatch[];
  readonly unmatched: readonly FaultRecord[];
  /** Fault kinds the matcher does not know (a new simulator knob): reported, never silently passed. */
  readonly unknownKinds: readonly FaultKind[];
}

/** The simulator route a request path belongs to, e.g. `/api/v3/brokerage/products/X/ticker` → `ticker`. */
type RouteOf = (method: string, path: string) => string | undefined;

const REST_BY_ID: ReadonlySet<FaultKind> = new Set([
  'http_429',
  'http_5xx',
  'malformed_body',
  'lost_response',
  'rate_limited',
  'auth_failed',
]);

/**
 * Matches every fault the simulator injected (its `stats().faultLog`) to its own warning or error in the bot's
 * log, one to one: a log record is used for at most one fault.
 * - REST faults that got an answer (429, 5xx, a malformed body, a lost order response): the adapter's record of
 *   that attempt carries the exchange's request id, which the simulator sets to `sim-<route>-<n>`: exact.
 * - A timeout (the simulator hangs, then cuts the connection): the adapter's TIMEOUT (or, if the cut came
 *   first, NETWORK) record of an attempt on the same route. Records without a matching fault (a slow answer
 *   on a loaded machine) are left over and not counted against the bot.
 * - A garbage WebSocket frame: the client's "not JSON" record with the frame's sequence number.
 * - A lost WebSocket message: covered by exactly one gap record (expected ≤ n < received); a gap of k missed
 *   messages is one record standing for k consecutive losses.
 * - A dropped connection: one adapter "Coinbase WebSocket lost (…)" record each (the client ends its stream
 *   there; the StreamingService's "WS stream ended; reconnecting" follows, but a stream that ends for another
 *   reason logs that too, so the adapter's record is the one that names the drop).
 */
export function matchFaults(
  faults: readonly FaultRecord[],
  records: readonly LogRecord[],
  routeOf: RouteOf,
): FaultMatching {
  const used = new Set<number>();
  const matches: FaultMatch[] = [];
  const unknownKinds = new Set<FaultKind>();
  // Only warnings and errors count as "a clear record": a debug trace of every answer is not one.
  const indexed = records
    .map((record, index) => ({ record, index }))
    .filter(({ record }) => record.level === 'warn' || record.level === 'error');
  const take = (predicate: (r: LogRecord) => boolean): number | undefined => {
    const hit = indexed.find(({ record, index }) => !used.has(index) && predicate(record));
    if (!hit) return undefined;
    used.add(hit.index);
    return hit.index;
  };
  const timedOutOn =
    (route: string | undefined) =>
    (r: LogRecord): boolean =>
      (r.fields.code === 'TIMEOUT' || r.fields.code === 'NETWORK') &&
      typeof r.fields.path === 'string' &&
      routeOf(String(r.fields.endpoint).split(' ')[0] ?? 'GET', r.fields.path) === route;
  // Gap records are shared by the losses they cover: counted per sequence number, not used up.
  const gapCoverage = new Map<number, number>();
  const gapRecords = indexed.filter(({ record }) => record.message.startsWith('Coinbase WebSocket sequence gap'));

  for (const fault of faults) {
    let record: number | undefined;
    if (REST_BY_ID.has(fault.kind)) {
      const id = `sim-${fault.route}-${fault.requestNo}`;
      record = take((r) => r.fields.requestId === id && typeof r.fields.endpoint === 'string');
    } else if (fault.kind === 'timeout') {
      record = take(timedOutOn(fault.route));
    } else if (fault.kind === 'ws_malformed') {
      record = take(
        (r) =>
          r.message === 'Ignoring a Coinbase WebSocket frame that is not JSON' &&
          r.fields.sequenceNum === fault.sequenceNum,
      );
    } else if (fault.kind === 'ws_drop') {
      record = take((r) => r.message.startsWith('Coinbase WebSocket lost ('));
    } else if (fault.kind === 'ws_gap') {
      const seq = fault.sequenceNum ?? -1;
      const cover = gapRecords.find(({ record: r, index }) => {
        const expected = Number(r.fields.expected);
        const received = Number(r.fields.received);
        if (!(expected <= seq && seq < received)) return false;
        // A record standing for k losses takes at most k of them.
        return (gapCoverage.get(index) ?? 0) < received - expected;
      });
      if (cover) {
        gapCoverage.set(cover.index, (gapCoverage.get(cover.index) ?? 0) + 1);
        record = cover.index;
      }
    } else {
      unknownKinds.add(fault.kind);
    }
    matches.push({ fault, record });
  }
  // A REST fault whose broken answer came later than the adapter waited (a loaded machine, the adapter's short
  // timeout): the adapter's record of that attempt is its TIMEOUT on the same route, which names no request id.
  // Taken after every fault had its first choice, so it never takes the record a real timeout needs.
  for (const [i, m] of matches.entries()) {
    if (m.record !== undefined || !REST_BY_ID.has(m.fault.kind)) continue;
    const record = take(timedOutOn(m.fault.route));
    if (record !== undefined) matches[i] = { fault: m.fault, record };
  }
  return {
    matches,
    unmatched: matches.filter((m) => m.record === undefined).map((m) => m.fault),
    unknownKinds: [...unknownKinds],
  };
}

/** Gap records whose losses were not all injected faults (the bot saw a loss the simulator did not cause). */
export function unexplainedGaps(matching: FaultMatching, records: readonly LogRecord[]): LogRecord[] {
  const covered = new Map<number, number>();
  for (const m of matching.matches)
    if (m.fault.kind === 'ws_gap' && m.record !== undefined) covered.set(m.record, (covered.get(m.record) ?? 0) + 1);
  return records.filter(
    (r, index) =>
      r.message.startsWith('Coinbase WebSocket sequence gap') && (covered.get(index) ?? 0) !== Number(r.fields.missed),
  );
}
