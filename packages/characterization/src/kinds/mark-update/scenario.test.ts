import { Decimal } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { parseMarkUpdateScenario, type MarkUpdateScenario } from './scenario.js';
import { answerValue, ScriptedBroker } from '../../fixtures/scripted-broker.js';

const base: MarkUpdateScenario = {
  name: 'x',
  description: 'x',
  symbols: ['A'],
  shortMa: 1,
  longMa: 1,
  cycles: 2,
  clock: { start: '2026-01-01T00:00:00.000Z', stepMs: 1 },
  quotes: { A: [{ type: 'null' }, { type: 'null' }] },
};

describe('parseMarkUpdateScenario', () => {
  it('accepts a valid scenario as it is', () => {
    expect(parseMarkUpdateScenario(base)).toBe(base);
  });

  it.each([
    ['a name that is not kebab-case', { name: 'Bad Name' }, 'name: kebab-case'],
    [
      'a price that is not decimal text',
      { quotes: { A: [{ type: 'quote', last: 'abc' }, { type: 'null' }] } },
      'use {text: …} for a raw string',
    ],
    ['an unknown field (a typo)', { cycels: 3 }, "Unrecognized key(s) in object: 'cycels'"],
    ['a script shorter than the run', { cycles: 3 }, 'quotes.A: A needs 3 answers, has 2'],
    [
      'a timestamp that is not an instant',
      { quotes: { A: [{ type: 'quote', last: '1', ts: 'soon' }, { type: 'null' }] } },
      'an ISO instant',
    ],
  ])('refuses %s, naming the field', (_name, change, message) => {
    expect(() => parseMarkUpdateScenario({ ...base, ...change })).toThrow(message);
  });

  it('accepts a short script when an `otherwise` answer is given', () => {
    expect(() => parseMarkUpdateScenario({ ...base, cycles: 50, otherwise: { type: 'null' } })).not.toThrow();
  });
});

describe('ScriptedBroker', () => {
  it('answers each symbol’s n-th call with its n-th answer, then `otherwise`, else a clear rejection', async () => {
    const broker = new ScriptedBroker({
      ...base,
      quotes: { A: [{ type: 'quote', last: '1.50' }] },
      otherwise: { type: 'null' },
    });
    expect(await broker.getQuote('A')).toEqual({ symbol: 'A', last: new Decimal('1.5') });
    expect(await broker.getQuote('A')).toBeNull();
    await expect(new ScriptedBroker(base).getQuote('B')).rejects.toThrow('scripted broker has no answer #1 for B');
  });

  it('builds exactly the fields given, in the raw forms asked for', () => {
    const quote = answerValue('A', {
      type: 'quote',
      lastPrice: { number: 'NaN' },
      bid: { text: 'x' },
      ts: { invalidDate: 'nope' },
    }) as Record<string, unknown>;
    expect(Object.keys(quote).sort()).toEqual(['bid', 'lastPrice', 'symbol', 'ts']);
    expect(quote.lastPrice).toBeNaN();
    expect(quote.bid).toBe('x');
    expect(Number.isNaN((quote.ts as Date).getTime())).toBe(true);
  });

  it('throws synchronously only when told to', async () => {
    const sync = new ScriptedBroker({
      ...base,
      quotes: {
        A: [
          { type: 'throw', message: 'now', sync: true },
          { type: 'throw', message: 'later' },
        ],
      },
    });
    expect(() => sync.getQuote('A')).toThrow('now');
    const later = sync.getQuote('A');
    await expect(later).rejects.toThrow('later');
  });
});
