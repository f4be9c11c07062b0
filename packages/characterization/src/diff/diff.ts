import type { Json } from '../json/canonical.js';
import { sortKeys } from '../json/canonical.js';
import { align } from './sequence.js';

export interface FieldDifference {
  /** Path inside the entry ("limit", "args[1].symbol"); empty when the entries are not objects. */
  readonly path: string;
  readonly expected?: Json;
  readonly received?: Json;
}

/**
 * One difference between a golden document and a received one. `section` is the array or object it sits in
 * ("channels.effects", "final.windows.BTC-USD"); `at` says where in it ("[12]", "riskTimestamps.ETH-USD").
 */
export interface Difference {
  readonly section: string;
  readonly at: string;
  readonly kind: 'changed' | 'missing' | 'unexpected';
  /** A one-line description of the effect involved ("cycle 3 · window.append · BTC-USD"). */
  readonly context?: string;
  readonly expected?: Json;
  readonly received?: Json;
  readonly fields?: readonly FieldDifference[];
}

const key = (value: Json | undefined): string => (value === undefined ? '<absent>' : JSON.stringify(sortKeys(value)));

const isObject = (value: Json | undefined): value is { [k: string]: Json } =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every difference between two JSON documents; arrays are aligned so an inserted effect is one difference. */
export function diffJson(expected: Json, received: Json, path = ''): Difference[] {
  const out: Difference[] = [];
  walk(expected, received, path, out);
  return out;
}

function walk(expected: Json | undefined, received: Json | undefined, path: string, out: Difference[]): void {
  if (key(expected) === key(received)) return;
  if (Array.isArray(expected) && Array.isArray(received)) {
    diffSequence(expected, received, path, out);
    return;
  }
  if (isObject(expected) && isObject(received)) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(received)])].sort();
    for (const k of keys) walk(expected[k], received[k], join(path, k), out);
    return;
  }
  const { section, at } = splitPath(path);
  out.push({
    section,
    at,
    kind: expected === undefined ? 'unexpected' : received === undefined ? 'missing' : 'changed',
    ...(expected === undefined ? {} : { expected }),
    ...(received === undefined ? {} : { received }),
  });
}

function diffSequence(expected: readonly Json[], received: readonly Json[], section: string, out: Difference[]): void {
  const ops = align(expected.map(key), received.map(key));
  let deletes: number[] = [];
  let inserts: number[] = [];
  const flush = (): void => {
    const paired = Math.min(deletes.length, inserts.length);
    for (let k = 0; k < paired; k++) {
      const i = deletes[k] as number;
      const j = inserts[k] as number;
      const e = expected[i] as Json;
      const r = received[j] as Json;
      out.push({
        section,
        at: i === j ? `[${i}]` : `[${i}] (received [${j}])`,
        kind: 'changed',
        ...contextOf(e),
        expected: e,
        received: r,
        fields: fieldDifferences(e, r),
      });
    }
    for (const i of deletes.slice(paired))
      out.push({
        section,
        at: `[${i}]`,
        kind: 'missing',
        ...contextOf(expected[i] as Json),
        expected: expected[i] as Json,
      });
    for (const j of inserts.slice(paired))
      out.push({
        section,
        at: `[${j}]`,
        kind: 'unexpected',
        ...contextOf(received[j] as Json),
        received: received[j] as Json,
      });
    deletes = [];
    inserts = [];
  };
  for (const op of ops) {
    if (op.op === 'equal') flush();
    else if (op.op === 'delete') deletes.push(op.i);
    else inserts.push(op.j);
  }
  flush();
}

/** The leaves that differ between two entries, by path inside the entry. */
export function fieldDifferences(expected: Json, received: Json): FieldDifference[] {
  const e = flatten(expected);
  const r = flatten(received);
  const paths = [...new Set([...e.keys(), ...r.keys()])].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const out: FieldDifference[] = [];
  for (const path of paths) {
    const ev = e.get(path);
    const rv = r.get(path);
    if (key(ev) !== key(rv))
      out.push({ path, ...(ev === undefined ? {} : { expected: ev }), ...(rv === undefined ? {} : { received: rv }) });
  }
  return out;
}

function flatten(value: Json, path = '', out = new Map<string, Json>()): Map<string, Json> {
  if (Array.isArray(value) && value.length > 0) value.forEach((v, i) => flatten(v, `${path}[${i}]`, out));
  else if (isObject(value) && Object.keys(value).length > 0)
    for (const [k, v] of Object.entries(value)) flatten(v, join(path, k), out);
  else out.set(path, value);
  return out;
}

/** "cycle 3 · window.append · BTC-USD" (or "conn 0 step 3 · …", a stream's phase) for a recorded effect; nothing for other values. */
function contextOf(entry: Json): { context?: string } {
  if (!isObject(entry)) return {};
  const parts: string[] = [];
  if (entry.cycle !== undefined)
    parts.push(typeof entry.cycle === 'number' ? `cycle ${entry.cycle}` : String(entry.cycle));
  else if (typeof entry.at === 'string') parts.push(entry.at);
  if (typeof entry.effect === 'string') parts.push(entry.effect);
  const args = entry.args;
  // An event-store write (botId, payload) is named by its payload's event type and symbol, not by the bot id.
  const payload =
    Array.isArray(args) && isObject(args[1]) && typeof args[1].event_type === 'string' ? args[1] : undefined;
  if (payload) {
    parts.push(String(payload.event_type));
    if (typeof payload.symbol === 'string') parts.push(payload.symbol);
  } else {
    const symbol =
      typeof entry.symbol === 'string'
        ? entry.symbol
        : Array.isArray(args) && typeof args[0] === 'string'
          ? args[0]
          : undefined;
    if (symbol !== undefined) parts.push(symbol);
  }
  return parts.length > 0 ? { context: parts.join(' · ') } : {};
}

const join = (path: string, k: string): string => (path === '' ? k : `${path}.${k}`);

function splitPath(path: string): { section: string; at: string } {
  const dot = path.lastIndexOf('.');
  return dot < 0 ? { section: '', at: path } : { section: path.slice(0, dot), at: path.slice(dot + 1) };
}
