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
    for (const step of pairRun(expected, received, deletes, inserts)) {
      if (step.op === 'equal') {
        const e = expected[step.i] as Json;
        const r = received[step.j] as Json;
        out.push({
          section,
          at: step.i === step.j ? `[${step.i}]` : `[${step.i}] (received [${step.j}])`,
          kind: 'changed',
          ...contextOf(e),
          expected: e,
          received: r,
          fields: fieldDifferences(e, r),
        });
      } else if (step.op === 'delete') {
        out.push({
          section,
          at: `[${step.i}]`,
          kind: 'missing',
          ...contextOf(expected[step.i] as Json),
          expected: expected[step.i] as Json,
        });
      } else {
        out.push({
          section,
          at: `[${step.j}]`,
          kind: 'unexpected',
          ...contextOf(received[step.j] as Json),
          received: received[step.j] as Json,
        });
      }
    }
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

/**
 * Within a run of entries only one side has (between two exact matches), which missing entry became which
 * received one. Entries are aligned on their identity (the effect, its cycle or step, its symbol or event
 * type: see `identityOf`), never by position, and an identity is paired field by field only where it occurs
 * as often on both sides: one order that became two orders, or two log lines that became one, is shown as
 * what is missing and what is unexpected, not as a changed entry plus a stray one.
 */
function pairRun(
  expected: readonly Json[],
  received: readonly Json[],
  deletes: readonly number[],
  inserts: readonly number[],
): ReturnType<typeof align> {
  if (deletes.length === 0 || inserts.length === 0)
    return [
      ...deletes.map((i) => ({ op: 'delete' as const, i })),
      ...inserts.map((j) => ({ op: 'insert' as const, j })),
    ];
  const left = deletes.map((i) => identityOf(expected[i] as Json));
  const right = inserts.map((j) => identityOf(received[j] as Json));
  const count = (list: readonly string[]): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const id of list) counts.set(id, (counts.get(id) ?? 0) + 1);
    return counts;
  };
  const l = count(left);
  const r = count(right);
  // An identity with different counts on the two sides gets keys that match nothing.
  const pairable = (id: string): boolean => l.get(id) === r.get(id);
  const ops = align(
    left.map((id, k) => (pairable(id) ? id : `\u0000missing ${k}`)),
    right.map((id, k) => (pairable(id) ? id : `\u0000unexpected ${k}`)),
  );
  return ops.map((op) =>
    op.op === 'equal'
      ? { op: 'equal', i: deletes[op.i] as number, j: inserts[op.j] as number }
      : op.op === 'delete'
        ? { op: 'delete', i: deletes[op.i] as number }
        : { op: 'insert', j: inserts[op.j] as number },
  );
}

/**
 * What makes two entries "the same effect" even when their values differ: the effect's name, when it
 * happened (cycle or stream step), and what it is about (symbol, event type). Values that are not recorded
 * effects (plain numbers, text, final-state lists) share one identity per JSON type.
 */
function identityOf(entry: Json): string {
  if (!isObject(entry)) return Array.isArray(entry) ? '[array]' : `[${entry === null ? 'null' : typeof entry}]`;
  return `{${contextOf(entry).context ?? ''}}`;
}

/** The leaves that differ between two entries, by path inside the entry. */
function fieldDifferences(expected: Json, received: Json): FieldDifference[] {
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
          : Array.isArray(args) && isObject(args[0]) && typeof args[0].symbol === 'string'
            ? args[0].symbol
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
