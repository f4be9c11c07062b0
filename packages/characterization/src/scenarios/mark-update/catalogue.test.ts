import { describe, expect, it } from 'vitest';
import { DEFAULT_GOLDEN_DIR, goldenPath, readJson } from '../../golden/store.js';
import type { QuoteAnswer } from '../../kinds/mark-update/scenario.js';
import { defaultRegistry } from '../../kinds/default-registry.js';
import { markUpdateKind } from '../../kinds/mark-update/kind.js';

/** The catalogue as the registry holds it: the one list the record script and the golden tests use. */
const markUpdateScenarios = defaultRegistry().scenarios(markUpdateKind);

// The catalogue must keep covering the whole mark-update behaviour (DESIGN.md "The behaviour that must not
// change"). These tests fail when a scenario that carried a branch is removed or changed so it no longer does.

const answers = markUpdateScenarios.flatMap((s) => [
  ...Object.values(s.quotes).flat(),
  ...(s.otherwise ? [s.otherwise] : []),
]);
const quotes = answers.filter((a): a is Extract<QuoteAnswer, { type: 'quote' }> => a.type === 'quote');

interface Effect {
  cycle: number | 'init';
  effect: string;
  args?: unknown[];
  created?: boolean;
  dropped?: number;
  size?: number;
  limit?: number;
  threw?: unknown;
}
const effects: Effect[] = markUpdateScenarios.flatMap(
  (s) =>
    (
      readJson(goldenPath(DEFAULT_GOLDEN_DIR, 'mark-update', s.name)) as
        { channels?: { effects?: Effect[] } } | undefined
    )?.channels?.effects ?? [],
);
const logs = (level: string) => effects.filter((e) => e.effect === `log.${level}`).map((e) => String(e.args?.[0]));

describe('the mark-update catalogue', () => {
  it('has at least 20 scenarios, each valid and named once', () => {
    expect(markUpdateScenarios.length).toBeGreaterThanOrEqual(20);
    expect(new Set(markUpdateScenarios.map((s) => s.name)).size).toBe(markUpdateScenarios.length);
  });

  it('scripts every kind of broker answer', () => {
    const kinds = new Set(answers.map((a) => (a.type === 'throw' && a.sync ? 'throw-sync' : a.type)));
    expect([...kinds].sort()).toEqual([
      'non-object',
      'null',
      'quote',
      'throw',
      'throw-sync',
      'throw-value',
      'undefined',
    ]);
  });

  it('scripts every price form: decimal, null, lastPrice only, both, raw text, raw numbers, non-finite, objects', () => {
    expect(quotes.some((q) => typeof q.last === 'string')).toBe(true);
    expect(quotes.some((q) => 'last' in q && q.last === null && q.lastPrice !== undefined)).toBe(true);
    expect(quotes.some((q) => !('last' in q) && q.lastPrice !== undefined)).toBe(true);
    expect(quotes.some((q) => !('last' in q) && !('lastPrice' in q))).toBe(true);
    expect(quotes.some((q) => 'last' in q && 'lastPrice' in q && q.last !== null)).toBe(true);
    const raw = quotes.map((q) => q.last).filter((v) => typeof v === 'object' && v !== null);
    expect(raw.some((v) => 'text' in v)).toBe(true);
    expect(raw.some((v) => 'number' in v && typeof v.number === 'number')).toBe(true);
    expect(raw.some((v) => 'number' in v && v.number === 'NaN')).toBe(true);
    expect(raw.some((v) => 'object' in v)).toBe(true);
  });

  it('scripts every timestamp form: a date, none, an invalid date, a string, a number, null', () => {
    const forms = new Set(
      quotes.map((q) =>
        !('ts' in q)
          ? 'absent'
          : q.ts === null
            ? 'null'
            : typeof q.ts === 'string'
              ? 'date'
              : Object.keys(q.ts as object)[0],
      ),
    );
    expect([...forms].sort()).toEqual(['absent', 'date', 'invalidDate', 'null', 'number', 'text']);
  });

  it('covers risk failures, window shapes, odd symbol lists and a long run', () => {
    const has = (p: (s: (typeof markUpdateScenarios)[number]) => boolean) => markUpdateScenarios.some(p);
    expect(has((s) => s.risk?.always === true)).toBe(true);
    expect(has((s) => (s.risk?.throwOnCalls?.length ?? 0) > 0)).toBe(true);
    expect(has((s) => (s.risk?.throwForSymbols?.length ?? 0) > 0)).toBe(true);
    expect(has((s) => Object.values(s.initialWindows ?? {}).includes(null))).toBe(true);
    expect(has((s) => Object.keys(s.initialWindows ?? {}).some((sym) => !s.symbols.includes(sym)))).toBe(true);
    expect(has((s) => (s.symbolsAddedAfterInit?.length ?? 0) > 0)).toBe(true);
    expect(has((s) => new Set(s.symbols).size < s.symbols.length)).toBe(true);
    expect(has((s) => s.symbols.length === 0)).toBe(true);
    expect(has((s) => s.symbols.length >= 8)).toBe(true);
    expect(has((s) => s.cycles >= 100)).toBe(true);
    expect(has((s) => s.shortMa > s.longMa)).toBe(true);
  });
});

describe('the recorded mark-update golden files', () => {
  it('show every error the legacy path logs', () => {
    const errors = logs('error');
    for (const pattern of [
      /: No quote for /,
      /: Quote missing price for /,
      /: Invalid mark price: "abc" for/,
      /: Invalid mark price: NaN for/,
      /: Invalid mark price: 0 for/,
      /: Invalid mark price: -1 for/,
      /: connection reset$/,
      /: \{"status":429/,
    ]) {
      expect(
        errors.some((m) => pattern.test(m)),
        String(pattern),
      ).toBe(true);
    }
    expect(logs('debug').some((m) => m.startsWith('Failed to update mark timestamp for '))).toBe(true);
    expect(logs('warn')).toContain('No symbols configured; the bot will update no marks');
  });

  it('show appends that create a window, fill it to the limit without dropping, and trim past it', () => {
    const appends = effects.filter((e) => e.effect === 'windows.append');
    expect(appends.some((e) => e.created === true)).toBe(true);
    expect(appends.some((e) => e.size === e.limit && e.dropped === 0)).toBe(true);
    expect(appends.some((e) => e.dropped === 1)).toBe(true);
    expect(appends.some((e) => (e.dropped ?? 0) > 1)).toBe(true);
    expect(effects.some((e) => e.effect === 'risk.recordMarkUpdate' && e.threw !== undefined)).toBe(true);
  });

  it('never show an event-store write: the REST path writes none', () => {
    expect(effects.filter((e) => e.effect.startsWith('eventStore.'))).toEqual([]);
    expect(effects.length).toBeGreaterThan(1000);
  });
});
