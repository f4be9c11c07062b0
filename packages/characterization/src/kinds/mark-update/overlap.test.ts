import { AsyncLocalStorage } from 'node:async_hooks';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { PerpsBot } from '@perps-bot/orchestration';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_GOLDEN_DIR, goldenPath } from '../../golden/store.js';
import { verifyAgainstGolden } from '../../golden/verify.js';
import { defaultRegistry } from '../default-registry.js';
import type { Runner } from '../kind.js';
import { markUpdateKind } from './kind.js';
import { runMarkUpdateOnBot } from './run-on-bot.js';
import type { MarkUpdateScenario } from './scenario.js';

// The overlapping-cycle scenarios (`heldForNextCycle`) must be able to fail: a candidate that applies the
// answers of overlapping cycles in another order than they arrive is caught by their golden files, while
// legacy and every registered candidate reproduce them (golden.test.ts runs those; asserted here again).

const kind = defaultRegistry().kind(markUpdateKind);
const overlapping = kind.scenarios.filter((s) => s.heldForNextCycle !== undefined);

// The broken runners' received files go to a scratch copy of the golden files, not beside the real ones.
const scratch = mkdtempSync(join(tmpdir(), 'overlap-golden-'));
for (const s of overlapping) {
  const to = goldenPath(scratch, kind.name, s.name);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(goldenPath(DEFAULT_GOLDEN_DIR, kind.name, s.name), to);
}
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function service(bot: PerpsBot) {
  const s = bot.marketDataService;
  if (!s) throw new Error('no MarketDataService');
  return s;
}

/** Concurrent cycles turned sequential: a cycle starts only once the one before has ended. */
const queuesCycles: Runner<MarkUpdateScenario> = {
  name: 'queues-cycles',
  description: 'broken on purpose',
  run: (scenario) =>
    runMarkUpdateOnBot(scenario, {
      mode: 'new',
      patch: (bot) => {
        const s = service(bot);
        const update = s.updateMarks.bind(s);
        let previous = Promise.resolve();
        s.updateMarks = () => (previous = previous.then(update));
      },
    }),
};

/** Drops an answer that arrives once a newer cycle has started (a "staleness fix" that changes behaviour). */
const dropsLateAnswers: Runner<MarkUpdateScenario> = {
  name: 'drops-late-answers',
  description: 'broken on purpose',
  run: (scenario) =>
    runMarkUpdateOnBot(scenario, {
      mode: 'new',
      patch: (bot) => {
        const s = service(bot);
        const update = s.updateMarks.bind(s);
        const apply = s.applyQuote.bind(s);
        const cycleOf = new AsyncLocalStorage<number>();
        let started = 0;
        s.updateMarks = () => cycleOf.run(started++, update);
        s.applyQuote = (symbol, fetched) => {
          if ((cycleOf.getStore() ?? 0) === started - 1) apply(symbol, fetched);
        };
      },
    }),
};

/** Concurrent quotes applied only once the whole cycle is in (what the concurrent service did before). */
const appliesWhenAllIn: Runner<MarkUpdateScenario> = {
  name: 'applies-when-all-in',
  description: 'broken on purpose',
  run: (scenario) =>
    runMarkUpdateOnBot(scenario, {
      mode: 'new',
      quoteConcurrency: 2,
      patch: (bot) => {
        const s = service(bot);
        const update = s.updateMarks.bind(s);
        const apply = s.applyQuote.bind(s);
        const cycle = new AsyncLocalStorage<Parameters<typeof apply>[]>();
        s.updateMarks = () => cycle.run([], update);
        s.applyQuote = (symbol, fetched) => {
          const waiting = cycle.getStore() ?? [];
          waiting.push([symbol, fetched]);
          if (waiting.length === scenario.symbols.length) for (const args of waiting.splice(0)) apply(...args);
        };
      },
    }),
};

describe('overlapping cycles (heldForNextCycle)', () => {
  it('are in the catalogue', () => {
    expect(overlapping.map((s) => s.name)).toEqual([
      'eth-answer-arrives-after-next-cycle',
      'eth-late-failure-and-late-last-answer',
      'btc-on-time-eth-late-across-cycles',
    ]);
  });

  it.each(
    overlapping.flatMap((s) =>
      [kind.control, ...kind.candidates]
        .filter((r) => r.notFor?.(s) === undefined)
        .map((r) => [s.name, r.name, s, r] as const),
    ),
  )('%s: %s reproduces its golden file', async (_s, _r, scenario, runner) => {
    expect(await verifyAgainstGolden(kind, scenario, runner, scratch)).toEqual({ ok: true });
  });

  it.each(overlapping.map((s) => [s.name, s] as const))(
    '%s catches a candidate whose cycles queue behind each other',
    async (_name, scenario) => {
      const verdict = await verifyAgainstGolden(kind, scenario, queuesCycles, scratch);
      expect(verdict.ok).toBe(false);
      // The late answer's effects land before the next cycle's instead of after them.
      expect(verdict.ok ? '' : verdict.message).toMatch(/queues-cycles does not reproduce golden[\s\S]*: unexpected/);
    },
  );

  it.each(overlapping.map((s) => [s.name, s] as const))(
    '%s catches a candidate that drops a late answer',
    async (_name, scenario) => {
      const verdict = await verifyAgainstGolden(kind, scenario, dropsLateAnswers, scratch);
      expect(verdict.ok).toBe(false);
      expect(verdict.ok ? '' : verdict.message).toMatch(/drops-late-answers does not reproduce golden[\s\S]*: missing/);
    },
  );

  it("btc-on-time-eth-late-across-cycles catches concurrent quotes applied only once the cycle's last is in", async () => {
    const scenario = overlapping.find((s) => s.name === 'btc-on-time-eth-late-across-cycles') as MarkUpdateScenario;
    const verdict = await verifyAgainstGolden(kind, scenario, appliesWhenAllIn, scratch);
    expect(verdict.ok).toBe(false);
    // BTC's first mark waits for ETH's late answer and lands after the second cycle's BTC mark.
    expect(verdict.ok ? '' : verdict.message).toMatch(/applies-when-all-in does not reproduce golden[\s\S]*BTC-PERP/);
  });
});
