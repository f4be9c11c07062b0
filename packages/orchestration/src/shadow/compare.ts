import { decimalToString, type Mismatch } from '@perps-bot/core';
import type { Decimal } from 'decimal.js';
import type { LogEffect, RiskEffect, SymbolEffects, WindowEffect } from './effect-log.js';

export type ShadowEffect = 'fetch' | 'window' | 'risk' | 'log' | 'exception';

/** One difference between control and candidate, with JSON-safe descriptions of both sides (decimals as strings). */
export interface ShadowMismatch {
  readonly symbol: string;
  readonly cycle: number;
  readonly effect: ShadowEffect;
  readonly control: unknown;
  readonly candidate: unknown;
}

/** The shared ignore-rule view of a mark-shadow mismatch: the effect is the path, symbol and cycle the context. */
export const asMismatch = (m: ShadowMismatch): Mismatch => ({
  path: m.effect,
  control: m.control,
  candidate: m.candidate,
  context: { experiment: 'mark-update', symbol: m.symbol, cycle: m.cycle },
});

const sameDecimals = (a: readonly Decimal[], b: readonly Decimal[]): boolean =>
  a.length === b.length && a.every((d, i) => d.equals(b[i] as Decimal));

// Decimals are compared as decimals (50000 equals 50000.0), never through their text or a float.
const sameWindow = (a: WindowEffect, b: WindowEffect): boolean =>
  a.mark.equals(b.mark) && a.limit === b.limit && a.dropped === b.dropped && sameDecimals(a.window, b.window);
const sameRisk = (a: RiskEffect, b: RiskEffect): boolean => a.at.getTime() === b.at.getTime() && a.threw === b.threw;
const sameLog = (a: LogEffect, b: LogEffect): boolean =>
  a.level === b.level && a.message === b.message && stableJson(a.fields) === stableJson(b.fields);

const sameList = <T>(a: readonly T[], b: readonly T[], same: (x: T, y: T) => boolean): boolean =>
  a.length === b.length && a.every((x, i) => same(x, b[i] as T));

const describeWindows = (list: readonly WindowEffect[]) =>
  list.map((w) => ({
    mark: decimalToString(w.mark),
    limit: w.limit,
    dropped: w.dropped,
    window: w.window.map(decimalToString),
  }));
const describeRisk = (list: readonly RiskEffect[]) =>
  list.map((r) => ({ at: r.at.toISOString(), ...(r.threw === undefined ? {} : { threw: r.threw }) }));
const describeLogs = (list: readonly LogEffect[]) =>
  list.map((l) => ({ level: l.level, message: l.message, fields: l.fields }));

/** The mismatches for one symbol in one cycle (empty when the candidate did exactly what the control did). */
export function compareSymbol(
  symbol: string,
  cycle: number,
  control: SymbolEffects,
  candidate: SymbolEffects,
  fetches: readonly [number, number] = [0, 0],
): ShadowMismatch[] {
  const out: ShadowMismatch[] = [];
  const add = (effect: ShadowEffect, c: unknown, k: unknown) =>
    out.push({ symbol, cycle, effect, control: c, candidate: k });
  if (fetches[0] !== fetches[1]) add('fetch', { quoteRequests: fetches[0] }, { quoteRequests: fetches[1] });
  if (!sameList(control.windows, candidate.windows, sameWindow))
    add('window', describeWindows(control.windows), describeWindows(candidate.windows));
  if (!sameList(control.risk, candidate.risk, sameRisk))
    add('risk', describeRisk(control.risk), describeRisk(candidate.risk));
  if (!sameList(control.logs, candidate.logs, sameLog))
    add('log', describeLogs(control.logs), describeLogs(candidate.logs));
  return out;
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
