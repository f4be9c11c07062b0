import fc from 'fast-check';
import type { Json } from '../../json/canonical.js';
import type { StreamScenario, StreamScenarioStep } from './scenario.js';

// Generated stream scenarios, for the legacy-vs-service property. Prices are `clean` (decimal text, numbers,
// null: both loops read them alike) or `bad` (text no decimal parser accepts, booleans, containers: only the
// bad-price-text rule may excuse what follows). Everything is JSON, so a failure prints as a scenario.

const cleanPrice: fc.Arbitrary<Json> = fc.oneof(
  fc.constantFrom('100', '100.5', '0', '-1', '0.00001', '1e3', ' 42 ', '50000.10'),
  fc.integer({ min: -5, max: 100_000 }),
  fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }),
  fc.constant(null),
);
const badPrice: fc.Arbitrary<Json> = fc.constantFrom('', 'abc', 'NaN', '1_000', true, false, {}, [], [1]);

const symbolValue = fc.constantFrom<Json>('BTC-USD', 'ETH-USD', 'SOL-USD', '', 0, 7);
const PRICE_KEYS = ['best_bid', 'best_ask', 'bid', 'ask', 'last', 'price'] as const;

function message(price: fc.Arbitrary<Json>): fc.Arbitrary<Json> {
  const object = fc.record(
    {
      product_id: symbolValue,
      symbol: symbolValue,
      type: fc.constantFrom('ticker', 'heartbeats', 'market_trades'),
      ...Object.fromEntries(PRICE_KEYS.map((k) => [k, price])),
    },
    { requiredKeys: [] },
  ) as fc.Arbitrary<Json>;
  const garbage = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.integer())) as fc.Arbitrary<Json>;
  return fc.oneof({ weight: 8, arbitrary: object }, { weight: 1, arbitrary: garbage });
}

/** One connection's steps; with `drops`, it may end or drop (and nothing follows that step). */
function connection(price: fc.Arbitrary<Json>, drops: boolean): fc.Arbitrary<StreamScenarioStep[]> {
  const step: fc.Arbitrary<StreamScenarioStep> = fc.oneof(
    { weight: 10, arbitrary: message(price).map((m) => ({ message: m })) },
    { weight: 2, arbitrary: fc.integer({ min: 1, max: 400_000 }).map((gapMs) => ({ gapMs })) },
    ...(drops
      ? [
          { weight: 1, arbitrary: fc.constant<StreamScenarioStep>({ disconnect: 'socket reset' }) },
          { weight: 1, arbitrary: fc.constant<StreamScenarioStep>({ end: true }) },
        ]
      : []),
  );
  return fc.array(step, { maxLength: 25 }).map((steps) => {
    const last = steps.findIndex((s) => 'disconnect' in s || 'end' in s);
    return last < 0 ? steps : steps.slice(0, last + 1);
  });
}

interface StreamConstraints {
  /** Bad price text anywhere (default false). */
  readonly badPrices?: boolean;
  /** Disconnects and ends, and up to three connections (default false: one connection that never drops). */
  readonly drops?: boolean;
}

/** A valid stream scenario: one or more connections, MA lengths, maybe failing bookkeeping and a stop. */
export function arbStreamScenario(constraints: StreamConstraints = {}): fc.Arbitrary<StreamScenario> {
  const price = constraints.badPrices
    ? fc.oneof({ weight: 5, arbitrary: cleanPrice }, { weight: 1, arbitrary: badPrice })
    : cleanPrice;
  const drops = constraints.drops ?? false;
  return fc
    .record({
      connections: fc.array(connection(price, drops), { minLength: 1, maxLength: drops ? 3 : 1 }),
      shortMa: fc.integer({ min: 1, max: 3 }),
      longMa: fc.integer({ min: 1, max: 6 }),
      level: fc.integer({ min: 0, max: 2 }),
      riskFails: fc.option(fc.uniqueArray(fc.nat(12), { maxLength: 3 }), { nil: undefined }),
      storeFails: fc.option(fc.uniqueArray(fc.nat(12), { maxLength: 3 }), { nil: undefined }),
      stopAt: fc.option(fc.nat(30), { nil: undefined }),
    })
    .map(({ connections, shortMa, longMa, level, riskFails, storeFails, stopAt }): StreamScenario => {
      const first = connections[0] ?? [];
      return {
        name: 'generated',
        description: 'a generated stream scenario',
        symbols: ['BTC-USD', 'ETH-USD'],
        shortMa,
        longMa,
        level,
        connections,
        ...(riskFails ? { risk: { message: 'risk write failed', throwOnCalls: riskFails } } : {}),
        ...(storeFails ? { eventStore: { message: 'event store write failed', throwOnCalls: storeFails } } : {}),
        ...(stopAt !== undefined && stopAt < first.length ? { stopAt: { connection: 0, step: stopAt } } : {}),
      };
    });
}
