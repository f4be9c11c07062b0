import {
  Decimal,
  ManualClock,
  MemoryEventStore,
  MemoryLogger,
  type Brokerage,
  type QuoteSource,
} from '@perps-bot/core';
import { MarketDataService, type MarketDataServiceOptions } from '@perps-bot/market-data';
import { LiveRiskManager } from '@perps-bot/risk';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BOT_CONFIG } from '../bot-config.js';
import { EXPERIMENT_EVENT } from '../experiments/experiment-record.js';
import { candidateRuns, MARKS_SHADOW_PERCENT } from '../experiments/ramp.js';
import { PerpsBot, type PerpsBotOptions } from '../perps-bot.js';
import { ServiceRegistry } from '../service-registry.js';

const SYMBOLS = ['BTC-PERP', 'ETH-PERP'];

interface MismatchRecord {
  cycle: number;
  differences: { symbol: string; effect: string; control: { window: string[] }[]; candidate: { window: string[] }[] }[];
  reproduction: {
    kind: string;
    scenario: {
      initialWindows: Record<string, string[]>;
      quotes: Record<string, unknown[]>;
      clock: unknown;
    };
  };
}

function broker(): QuoteSource {
  let calls = 0;
  return {
    getQuote: async (symbol) => {
      calls++;
      // ETH's quotes have no timestamp: the control reads the clock for them.
      const ts = symbol === 'ETH-PERP' ? {} : { ts: new Date(Date.UTC(2026, 2, 1, 0, 0, calls)) };
      return { symbol, bid: new Decimal(1), ask: new Decimal(1), last: new Decimal(100 + calls), ...ts } as never;
    },
  };
}

/** Divergent on purpose: keeps four marks too many from cycle `from` on (a test seam, not real code). */
const trimsLateFrom = (from: number) => {
  let cycle = 0;
  return (options: MarketDataServiceOptions) => {
    if (cycle++ >= from) (options.markWindows as { limit: number }).limit += 4;
    return new MarketDataService(options);
  };
};

async function run(n: number, env: Record<string, string>, shadow: PerpsBotOptions['shadow'] = {}) {
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');
  const eventStore = new MemoryEventStore({ clock });
  const bot = new PerpsBot({
    config: { ...DEFAULT_BOT_CONFIG, symbols: SYMBOLS, shortMa: 1, longMa: 2 },
    registry: new ServiceRegistry({
      broker: broker() as Brokerage,
      riskManager: new LiveRiskManager({ clock }),
      eventStore,
    }),
    logger: new MemoryLogger(),
    clock,
    env: { USE_NEW_MARKET_DATA_SERVICE: 'shadow', ...env },
    shadow,
  });
  await bot.initialize();
  for (let i = 0; i < n; i++) {
    clock.advance(1000);
    await bot.updateMarks();
  }
  const records = eventStore.events.filter((e) => e.type === EXPERIMENT_EVENT).map((e) => e.payload);
  return { bot, records };
}

describe('mark shadow: experiments as records', () => {
  it('runs the candidate on exactly the cycles candidateRuns predicts for the ramp-up share', async () => {
    let built = 0;
    const counting = (options: MarketDataServiceOptions) => {
      built++;
      return new MarketDataService(options);
    };
    const { bot, records } = await run(40, { [MARKS_SHADOW_PERCENT]: '30' }, { candidate: counting });
    const expected = Array.from({ length: 40 }, (_, c) => c).filter((c) => candidateRuns('rest-marks', c, 30));
    expect(expected.length).toBeGreaterThan(3);
    expect(expected.length).toBeLessThan(37);
    expect(built).toBe(expected.length);
    expect(records.filter((r) => r.outcome !== 'skipped').map((r) => r.cycle)).toEqual(expected);
    expect(records.filter((r) => r.outcome === 'skipped')).toHaveLength(40 - expected.length);
    expect(bot.shadowReport()).toMatchObject({ cycles: 40, skippedCycles: 40 - expected.length });
    // The control ran every cycle all the same: 40 marks per symbol, trimmed to 7.
    expect(bot.markWindows.get('BTC-PERP')).toHaveLength(7);
  });

  it('runs the control alone at 0 %', async () => {
    let built = 0;
    const { records } = await run(
      5,
      { [MARKS_SHADOW_PERCENT]: '0' },
      {
        candidate: (o) => (built++, new MarketDataService(o)),
      },
    );
    expect(built).toBe(0);
    expect(records.map((r) => r.outcome)).toEqual(['skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
  });

  it('stores one small record per matched cycle and a mismatch with both values and its reproduction', async () => {
    const { records } = await run(8, {}, { candidate: trimsLateFrom(7) });
    expect(records.map((r) => r.outcome)).toEqual([...Array(7).fill('match'), 'mismatch']);
    const match = records[0] as Record<string, unknown>;
    expect(Object.keys(match).sort()).toEqual([
      'cycle',
      'durations',
      'experiment',
      'fingerprint',
      'outcome',
      'symbols',
    ]);
    expect(match).toMatchObject({ experiment: 'rest-marks', cycle: 0, symbols: SYMBOLS });
    expect(match.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    expect(JSON.stringify(match).length).toBeLessThan(200);

    const mismatch = records[7] as unknown as MismatchRecord;
    expect(mismatch.cycle).toBe(7);
    expect(mismatch.differences.map((d) => `${d.symbol} ${d.effect}`)).toEqual(['BTC-PERP window', 'ETH-PERP window']);
    const btc = mismatch.differences[0];
    expect(btc?.control[0]?.window).toHaveLength(7);
    expect(btc?.candidate[0]?.window).toHaveLength(8);
    // The reproduction: the windows before the cycle, the answers as given, the clock readings (ETH has no ts).
    const scenario = mismatch.reproduction.scenario;
    expect(mismatch.reproduction.kind).toBe('mark-update');
    expect(scenario).toMatchObject({ symbols: SYMBOLS, shortMa: 1, longMa: 2, cycles: 1 });
    expect(scenario.initialWindows['BTC-PERP']).toEqual(['101', '103', '105', '107', '109', '111', '113']);
    expect(scenario.quotes['BTC-PERP']).toEqual([
      { type: 'quote', last: '115', bid: '1', ask: '1', ts: '2026-03-01T00:00:15.000Z' },
    ]);
    expect(scenario.quotes['ETH-PERP']).toEqual([{ type: 'quote', last: '116', bid: '1', ask: '1' }]);
    expect(scenario.clock).toEqual({ start: '2026-03-01T12:00:08.000Z', stepMs: 0 });
  });

  it('an ignored record carries the differences its rules accepted, both values, redacted as stored', async () => {
    // Divergent on purpose: one window mark too many from cycle 7 on, and a log line with a credential in it.
    const trimsLate = trimsLateFrom(7);
    const candidate = (options: MarketDataServiceOptions) => {
      options.logger.warn('candidate says hello', { symbol: 'BTC-PERP', apiKey: 'organizations/x/apiKeys/secret' });
      return trimsLate(options);
    };
    const { records } = await run(
      8,
      {},
      {
        candidate,
        ignoreRules: [
          { name: 'wider-window-accepted', reason: 'the candidate trims late', ignores: (m) => m.path === 'window' },
          { name: 'hello-accepted', reason: 'the candidate greets', ignores: (m) => m.path === 'log' },
        ],
      },
    );
    expect(records.map((r) => r.outcome)).toEqual(Array(8).fill('ignored'));
    const last = records[7] as unknown as MismatchRecord & { rules: string[] };
    expect([...last.rules].sort()).toEqual(['hello-accepted', 'wider-window-accepted']);
    expect(last.differences.map((d) => `${d.symbol} ${d.effect}`)).toEqual([
      'BTC-PERP window',
      'BTC-PERP log',
      'ETH-PERP window',
    ]);
    const btc = last.differences[0];
    expect(btc?.control[0]?.window).toHaveLength(7);
    expect(btc?.candidate[0]?.window).toHaveLength(8);
    // Only the log difference in the first cycles: what each rule accepted, not just that it did.
    expect((records[0] as unknown as MismatchRecord).differences.map((d) => d.effect)).toEqual(['log']);
    expect(JSON.stringify(records)).not.toContain('secret');
    expect(JSON.stringify(last.differences[1]?.candidate)).toContain('[redacted]');
  });

  it('records a candidate that throws as candidate_error, with its reproduction', async () => {
    const { records } = await run(
      1,
      {},
      {
        candidate: () => ({
          updateMarks: async () => {
            throw new Error('candidate broke');
          },
        }),
      },
    );
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'candidate_error', error: 'candidate broke' });
    expect((records[0] as { reproduction?: unknown }).reproduction).toBeDefined();
  });
});
