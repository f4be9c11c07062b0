import type { MarkUpdateScenario, QuoteAnswer, ScriptedTs, ScriptedValue } from '../../kinds/mark-update/scenario.js';

// Terse builders for the catalogue. They only build data: what a scenario means is in its fields.

const CLOCK = { start: '2026-03-01T12:00:00.000Z', stepMs: 5_000 } as const;

/** An ISO instant `seconds` after 2026-03-01T11:00:00Z: quote timestamps one hour before the clock's start. */
export const at = (seconds: number): string => new Date(Date.UTC(2026, 2, 1, 11, 0, 0) + seconds * 1000).toISOString();

/** A quote with a `last` price and, unless told otherwise, its own timestamp. */
export const quote = (last: ScriptedValue, ts: ScriptedTs | 'none' = at(0)): QuoteAnswer =>
  ts === 'none' ? { type: 'quote', last } : { type: 'quote', last, ts };

export const noQuote: QuoteAnswer = { type: 'null' };
export const fails = (message: string): QuoteAnswer => ({ type: 'throw', message });

export const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

/** n cycles of steadily rising prices from `from`, one second apart. */
export const rising = (n: number, from: number, step = 1): QuoteAnswer[] =>
  times(n, (i) => quote(String(from + i * step), at(i)));

type Defaults = 'description' | 'clock' | 'shortMa' | 'longMa' | 'cycles';

/** A scenario with the catalogue's defaults: MA 2/3 (window limit 8), one cycle, the shared clock. */
export function scenario(
  s: Omit<MarkUpdateScenario, Defaults> & Partial<Pick<MarkUpdateScenario, Defaults>> & { description: string },
): MarkUpdateScenario {
  return { shortMa: 2, longMa: 3, cycles: 1, clock: { ...CLOCK }, ...s };
}
