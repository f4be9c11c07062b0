import type { FetchedQuote } from '@perps-bot/market-data';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Runner } from '../kind.js';
import { parseMarkUpdateScenario, type MarkUpdateScenario } from './scenario.js';
import { arbMarkUpdateScenario } from './arbitraries.js';
import { equivalenceProperty } from './equivalence.js';
import { defaultRegistry } from '../default-registry.js';
import { legacyRunner, markUpdateKind } from './kind.js';

// The kind as registered: every candidate it has is held to the property, none listed by hand.
const markUpdate = defaultRegistry().kind(markUpdateKind);
import { runMarkUpdateOnBot } from './run-on-bot.js';

// Beyond the fixed golden files: legacy and the service on generated scenarios (symbols, quote scripts,
// failures, MA lengths, pre-filled windows, a throwing risk manager) must produce identical effects.

describe('generated mark-update scenarios', () => {
  it('are valid scenarios', () => {
    fc.assert(fc.property(arbMarkUpdateScenario(), (s) => parseMarkUpdateScenario(s) === s));
  });

  it('are checked against every registered candidate', () => {
    expect(markUpdate.control).toBe(legacyRunner);
    expect(markUpdate.candidates.length).toBeGreaterThanOrEqual(4);
  });

  it.each(markUpdate.candidates)('give identical effects on the legacy path and $name', async (candidate) => {
    await fc.assert(equivalenceProperty(markUpdate.control, candidate), { numRuns: 100 });
  });
});

// The property must be able to fail, and to fail small: a deliberately broken candidate is caught and
// shrunk to a scenario a person can read at a glance.

const isQuoteObject = (q: unknown): q is Record<string, unknown> => typeof q === 'object' && q !== null;

/** A candidate that forgets the lastPrice fallback (treats a quote without `last` as no quote). */
const forgetsLastPrice: Runner<MarkUpdateScenario> = {
  name: 'forgets-last-price',
  description: 'broken on purpose',
  run: (scenario) =>
    runMarkUpdateOnBot(scenario, {
      mode: 'new',
      patch: (bot) => {
        const service = bot.marketDataService;
        if (!service) throw new Error('no service');
        const apply = service.applyQuote.bind(service);
        service.applyQuote = (symbol: string, fetched: FetchedQuote) =>
          apply(
            symbol,
            fetched.ok && isQuoteObject(fetched.quote) && !('last' in fetched.quote)
              ? { ok: true, quote: null }
              : fetched,
          );
      },
    }),
};

/** A candidate that keeps one mark too many. */
const trimsOneLate: Runner<MarkUpdateScenario> = {
  name: 'trims-one-late',
  description: 'broken on purpose',
  run: (scenario) =>
    runMarkUpdateOnBot(scenario, {
      mode: 'new',
      patch: (bot) => {
        // The store carries the trim; widening it by one is the break.
        (bot.markWindows as { limit: number }).limit += 1;
      },
    }),
};

describe('a deliberately broken candidate', () => {
  it('is caught, and shrinks to one symbol, one cycle and one quote without `last`', async () => {
    const result = await fc.check(equivalenceProperty(legacyRunner, forgetsLastPrice), {
      seed: 20260301,
      numRuns: 500,
    });
    expect(result.failed).toBe(true);
    const [scenario] = result.counterexample ?? [];
    expect(scenario?.symbols).toHaveLength(1);
    expect(scenario?.cycles).toBe(1);
    const answers = Object.values(scenario?.quotes ?? {}).flat();
    expect(answers).toHaveLength(1);
    // The smallest such quote has no price at all: legacy says "Quote missing price", the broken one "No quote".
    expect(answers[0]).toMatchObject({ type: 'quote' });
    expect(answers[0]).not.toHaveProperty('last');
    expect(String(result.errorInstance)).toContain('log.error');
  });

  it('that trims late is caught on the first append: one symbol, one cycle, one quote', async () => {
    const result = await fc.check(equivalenceProperty(legacyRunner, trimsOneLate), { seed: 20260301, numRuns: 500 });
    expect(result.failed).toBe(true);
    const [scenario] = result.counterexample ?? [];
    expect(scenario?.symbols).toHaveLength(1);
    expect(scenario?.cycles).toBe(1);
    expect(scenario?.risk).toBeUndefined();
    expect(Object.values(scenario?.quotes ?? {}).flat()).toHaveLength(1);
    expect(String(result.errorInstance)).toMatch(/limit: expected \d+, received \d+/);
  });
});
