import type { StreamStep } from '@perps-bot/market-data';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runStreamScenario, SCENARIO_START, type StreamRun, type StreamScenario } from './__tests__/stream-effects.js';
import { compareStreamRuns, STREAM_IGNORE_RULES } from './__tests__/stream-parity.js';
import { STREAM_SCENARIOS } from './__tests__/stream-scenarios.js';

async function compare(scenario: StreamScenario) {
  const legacy = await runStreamScenario(scenario, 'false');
  const candidate = await runStreamScenario(scenario, 'true');
  return { legacy, candidate, result: compareStreamRuns(legacy, candidate) };
}

describe('the stream effect recorder', () => {
  it('records a ticker’s effects in the order the loop makes them', async () => {
    const scenario = STREAM_SCENARIOS.find((s) => s.name === 'tickers-two-symbols') as StreamScenario;
    const { effects } = await runStreamScenario(scenario, 'false');
    const at = SCENARIO_START;
    expect(effects.slice(0, 7)).toEqual([
      { kind: 'log', level: 'info', message: "Started WS streaming thread for symbols=['BTC-USD', 'ETH-USD'] level=1", fields: { symbols: ['BTC-USD', 'ETH-USD'], level: 1 } },
      { kind: 'open', method: 'streamOrderbook', symbols: ['BTC-USD', 'ETH-USD'], level: 1 },
      // (50000.10 + 50000.30) / 2
      { kind: 'window', symbol: 'BTC-USD', mark: '50000.2', created: false, dropped: 0, size: 1 },
      { kind: 'heartbeat', symbol: 'BTC-USD' },
      { kind: 'risk', symbol: 'BTC-USD', at },
      { kind: 'event', type: 'metric', botId: 'perps_bot', time: at, payload: { event_type: 'ws_mark_update', symbol: 'BTC-USD', mark: '50000.2' } },
      { kind: 'window', symbol: 'ETH-USD', mark: '3000.5', created: false, dropped: 0, size: 1 },
    ]);
    expect(effects.at(-1)).toMatchObject({ kind: 'event', payload: { event_type: 'ws_stream_exit' } });
  });
});

describe('USE_NEW_STREAMING_SERVICE=false (legacy loop) vs =true (StreamingService)', () => {
  it.each(STREAM_SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, scenario) => {
    const { result } = await compare(scenario);
    if (scenario.expectRule) {
      expect(result).toMatchObject({ status: 'ignored', rule: scenario.expectRule });
    } else {
      expect(result, result.status === 'mismatched' ? result.diff : undefined).toEqual({ status: 'matched' });
    }
  });

  it('counts what each named rule ignored over the catalogue, and nothing is ignored silently', async () => {
    const tally: Record<string, number> = { matched: 0 };
    for (const scenario of STREAM_SCENARIOS) {
      const { result } = await compare(scenario);
      const key = result.status === 'ignored' ? result.rule : result.status;
      tally[key] = (tally[key] ?? 0) + 1;
    }
    const expectedIgnored = STREAM_SCENARIOS.filter((s) => s.expectRule).length;
    expect(tally).toEqual({
      matched: STREAM_SCENARIOS.length - expectedIgnored,
      'bad-price-text': STREAM_SCENARIOS.filter((s) => s.expectRule === 'bad-price-text').length,
      'stream-reconnect': STREAM_SCENARIOS.filter((s) => s.expectRule === 'stream-reconnect').length,
    });
    expect(STREAM_IGNORE_RULES.map((r) => r.name)).toEqual(['bad-price-text', 'stream-reconnect']);
  });

  it('with bad text the legacy loop ends while the service skips the message and goes on', async () => {
    const scenario = STREAM_SCENARIOS.find((s) => s.name === 'bad-price-text') as StreamScenario;
    const { legacy, candidate } = await compare(scenario);
    const events = (run: StreamRun) =>
      run.effects.flatMap((e) => (e.kind === 'event' ? [e.payload] : []));
    expect(events(legacy)).toEqual([
      { event_type: 'ws_mark_update', symbol: 'BTC-USD', mark: '1' },
      { event_type: 'ws_stream_error', message: 'Invalid price "abc" in stream message for ETH-USD' },
      { event_type: 'ws_stream_exit' },
    ]);
    expect(events(candidate)).toEqual([
      { event_type: 'ws_mark_update', symbol: 'BTC-USD', mark: '1' },
      { event_type: 'ws_mark_update', symbol: 'BTC-USD', mark: '2' },
      { event_type: 'ws_stream_exit' },
    ]);
    expect(legacy.windows['BTC-USD']).toEqual(['1']);
    expect(candidate.windows['BTC-USD']).toEqual(['1', '2']);
  });
});

describe('the comparison itself', () => {
  const scenario = STREAM_SCENARIOS.find((s) => s.name === 'tickers-two-symbols') as StreamScenario;

  it('reports a lost mark as a mismatch with a readable diff', async () => {
    const legacy = await runStreamScenario(scenario, 'false');
    const candidate = await runStreamScenario(scenario, 'true');
    const lossy: StreamRun = { ...candidate, effects: candidate.effects.filter((e, i) => !(e.kind === 'window' && i > 3)) };
    const result = compareStreamRuns(legacy, lossy);
    expect(result.status).toBe('mismatched');
    expect(result.status === 'mismatched' && result.diff).toContain('- #');
  });

  it('does not let a rule excuse a difference it does not describe', async () => {
    const legacy = await runStreamScenario(scenario, 'false');
    const candidate = await runStreamScenario(scenario, 'true');
    const tampered: StreamRun = {
      ...candidate,
      effects: [...candidate.effects.slice(0, 3), { kind: 'log', level: 'warn', message: 'x', fields: { rule: 'bad-price-text' } }, ...candidate.effects.slice(3)],
    };
    expect(compareStreamRuns(legacy, tampered).status).toBe('mismatched');
  });
});

// Generated sequences. Price values: `clean` ones are decimal text, numbers, null or absent; `bad` ones are
// text no decimal parser accepts (and booleans, containers), which only the named rule may excuse.
const cleanPrice = fc.oneof(
  fc.constantFrom('100', '100.5', '0', '-1', '0.00001', '1e3', ' 42 '),
  fc.integer({ min: -5, max: 100_000 }),
  fc.double({ min: 0, max: 1e6, noNaN: true }),
  fc.constant(null),
);
const badPrice = fc.constantFrom('', 'abc', 'NaN', '1_000', true, false, {}, [], [1]);
const symbolValue = fc.constantFrom('BTC-USD', 'ETH-USD', 'SOL-USD', '', 0, 7);
const PRICE_KEYS = ['best_bid', 'best_ask', 'bid', 'ask', 'last', 'price'] as const;

function message(price: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const object = fc.record(
    {
      product_id: symbolValue,
      symbol: symbolValue,
      type: fc.constantFrom('ticker', 'heartbeats', 'market_trades'),
      ...Object.fromEntries(PRICE_KEYS.map((k) => [k, price])),
    },
    { requiredKeys: [] },
  );
  return fc.oneof({ weight: 8, arbitrary: object }, { weight: 1, arbitrary: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.integer())) });
}

function steps(price: fc.Arbitrary<unknown>, drops: boolean): fc.Arbitrary<StreamStep[]> {
  const step: fc.Arbitrary<StreamStep> = fc.oneof(
    { weight: 10, arbitrary: message(price).map((m) => ({ message: m })) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 400_000 }).map((gapMs) => ({ gapMs })) },
    ...(drops
      ? [
          { weight: 1, arbitrary: fc.constant<StreamStep>({ disconnect: 'socket reset' }) },
          { weight: 1, arbitrary: fc.constant<StreamStep>({ end: true }) },
        ]
      : []),
  );
  return fc.array(step, { maxLength: 25 });
}

const scenarioOf = (name: string, connections: StreamStep[][], longMa: number): StreamScenario => ({
  name,
  symbols: ['BTC-USD', 'ETH-USD'],
  shortMa: 1,
  longMa,
  level: 1,
  script: { connections },
});

describe('generated message sequences', () => {
  it('without bad text: identical effects, windows, risk writes, event-store writes and logs', async () => {
    await fc.assert(
      fc.asyncProperty(steps(cleanPrice, false), fc.integer({ min: 1, max: 6 }), async (script, longMa) => {
        const { result } = await compare(scenarioOf('generated-clean', [script], longMa));
        expect(result, result.status === 'mismatched' ? result.diff : undefined).toEqual({ status: 'matched' });
      }),
      { numRuns: 150 },
    );
  });

  it('with bad text and drops: matched, or ignored by the rule that names that difference', async () => {
    const anyPrice = fc.oneof({ weight: 5, arbitrary: cleanPrice }, { weight: 1, arbitrary: badPrice });
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(fc.array(steps(anyPrice, true), { minLength: 1, maxLength: 3 }), async (connections) => {
        const { result } = await compare(scenarioOf('generated-any', connections, 3));
        expect(result.status, result.status === 'mismatched' ? result.diff : undefined).not.toBe('mismatched');
        if (result.status === 'ignored') expect(['bad-price-text', 'stream-reconnect']).toContain(result.rule);
        seen.add(result.status === 'ignored' ? result.rule : result.status);
      }),
      { numRuns: 150 },
    );
    // The generator must have exercised both rules and plain matches, or the property proved little.
    expect([...seen].sort()).toEqual(['bad-price-text', 'matched', 'stream-reconnect']);
  });
});
