import { Decimal, decimalToString } from '@perps-bot/core';
import type { ExperimentReproduction } from '../experiments/experiment-record.js';
import type { Settled } from './quote-tape.js';

/** What the mark shadow saw in one cycle: enough to replay the control on it (a `mark-update` scenario). */
interface MarkCycleInputs {
  readonly symbols: readonly string[];
  readonly shortMa: number;
  readonly longMa: number;
  /** The windows before the control ran. */
  readonly windows: Readonly<Record<string, readonly Decimal[]>>;
  readonly answers: ReadonlyMap<string, readonly Settled[]>;
  /** The clock readings the control made, in order. */
  readonly clockReadings: readonly Date[];
  /** The control's risk writes in call order, with the message of those that threw. */
  readonly riskCalls: readonly { readonly symbol: string; readonly threw?: string }[];
}

const QUOTE_FIELDS = ['last', 'lastPrice', 'bid', 'ask'] as const;

/**
 * The cycle as a characterization `mark-update` scenario (without name and description, which the importer
 * gives): one cycle, the windows it started from, each symbol's answers as the broker gave them, the clock's
 * readings and the risk manager's failures. Its shape is that kind's schema; the importer validates it.
 */
export function markReproduction(inputs: MarkCycleInputs): ExperimentReproduction {
  const quotes: Record<string, unknown[]> = {};
  for (const symbol of inputs.symbols) quotes[symbol] = [];
  for (const [symbol, answers] of inputs.answers) quotes[symbol] = answers.map(describeAnswer);
  const initialWindows: Record<string, string[] | null> = {};
  for (const [symbol, marks] of Object.entries(inputs.windows)) initialWindows[symbol] = marks.map(decimalToString);
  for (const symbol of inputs.symbols) if (!(symbol in initialWindows)) initialWindows[symbol] = null;
  const throwOnCalls = inputs.riskCalls.flatMap((c, i) => (c.threw === undefined ? [] : [i]));
  const message = inputs.riskCalls.find((c) => c.threw !== undefined)?.threw;
  const first = inputs.clockReadings[0];
  return {
    kind: 'mark-update',
    scenario: {
      symbols: [...inputs.symbols],
      shortMa: inputs.shortMa,
      longMa: inputs.longMa,
      initialWindows,
      quotes,
      // A symbol the control did not ask about in this cycle (none, today) still parses.
      otherwise: { type: 'null' },
      ...(message === undefined ? {} : { risk: { message, throwOnCalls } }),
      clock: {
        // Without readings the control never read the clock this cycle, and the start does not matter.
        start: (first ?? new Date(0)).toISOString(),
        stepMs: 0,
        ...(inputs.clockReadings.length > 1 ? { readings: inputs.clockReadings.map((d) => d.toISOString()) } : {}),
      },
      cycles: 1,
    },
  };
}

function describeAnswer(settled: Settled): unknown {
  if (settled.kind !== 'resolved') {
    const e = settled.error;
    if (e instanceof Error)
      return { type: 'throw', message: e.message, ...(settled.kind === 'threw' ? { sync: true } : {}) };
    if (typeof e === 'string') return { type: 'throw-value', value: e };
    if (e !== null && typeof e === 'object') return { type: 'throw-value', value: flatRecord(e) };
    return { type: 'throw-value', value: String(e) };
  }
  const value = settled.value as unknown;
  if (value === null) return { type: 'null' };
  if (value === undefined) return { type: 'undefined' };
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return { type: 'non-object', value };
  if (typeof value !== 'object') return { type: 'non-object', value: String(value) };
  const q = value as Record<string, unknown>;
  const out: Record<string, unknown> = { type: 'quote' };
  for (const field of QUOTE_FIELDS) if (field in q) out[field] = describePrice(q[field]);
  if ('ts' in q) out.ts = describeTs(q.ts);
  return out;
}

function describePrice(v: unknown): unknown {
  if (v instanceof Decimal) return v.isFinite() ? decimalToString(v) : { text: v.toString() };
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return { text: v };
  if (typeof v === 'number') return { number: Number.isFinite(v) ? v : String(v) };
  if (typeof v === 'boolean') return { boolean: v };
  return { object: flatRecord(v as object) };
}

function describeTs(v: unknown): unknown {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? { invalidDate: 'invalid' } : v.toISOString();
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return { number: v };
  return { text: String(v) };
}

function flatRecord(o: object): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(o)) out[k] = typeof v === 'number' ? v : String(v);
  return out;
}
