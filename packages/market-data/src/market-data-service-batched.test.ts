import { Decimal } from '@perps-bot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_QUOTES_PER_BATCH } from '@perps-bot/core';
import { asStrings, makeService, quote, tableBroker, type ServiceFixture, type TableAnswer } from './test-utils.js';

const SYMBOLS = ['A-USD', 'B-USD', 'C-USD', 'D-USD', 'E-USD', 'F-USD'];

/** What a pass leaves behind: windows, risk timestamps (in write order) and every log record. */
const outcome = (f: ServiceFixture) => ({
  windows: f.service.markWindows.snapshot(),
  risk: [...f.risk.lastMarkUpdate.entries()],
  logs: f.logger.records,
});

async function runBoth(table: Record<string, TableAnswer>, symbols: readonly string[], cycles = 1) {
  const sequential = makeService({ broker: tableBroker(table), symbols: [...symbols] });
  const broker = tableBroker(table);
  const batched = makeService({ broker, symbols: [...symbols], batchQuotes: true });
  for (let i = 0; i < cycles; i++) {
    await sequential.service.updateMarks();
    await batched.service.updateMarks();
  }
  return { sequential: outcome(sequential), batched: outcome(batched), calls: broker.calls };
}

describe('MarketDataService with batched quotes', () => {
  it('asks once for every symbol, in symbol order, and appends each mark', async () => {
    const broker = tableBroker({
      'A-USD': { value: quote({ last: new Decimal(1) }) },
      'B-USD': { value: quote({ last: new Decimal(2) }) },
    });
    const { service } = makeService({ broker, symbols: ['A-USD', 'B-USD'], batchQuotes: true });
    await service.updateMarks();
    expect(broker.calls).toEqual([['A-USD', 'B-USD']]);
    expect(asStrings(service.markWindows.get('A-USD'))).toEqual(['1']);
    expect(asStrings(service.markWindows.get('B-USD'))).toEqual(['2']);
  });

  it(`splits a list longer than ${MAX_QUOTES_PER_BATCH} into chunks and still applies every symbol in order`, async () => {
    const symbols = Array.from({ length: 2 * MAX_QUOTES_PER_BATCH + 7 }, (_, i) => `S${i}-USD`);
    const table = Object.fromEntries(symbols.map((s, i) => [s, { value: quote({ last: new Decimal(i + 1) }) }]));
    const broker = tableBroker(table);
    const { service, risk } = makeService({ broker, symbols, batchQuotes: true });
    await service.updateMarks();
    expect(broker.calls.map((c) => c.length)).toEqual([MAX_QUOTES_PER_BATCH, MAX_QUOTES_PER_BATCH, 7]);
    expect(broker.calls.flat()).toEqual(symbols);
    expect(symbols.map((s) => service.markWindows.latest(s)?.toFixed())).toEqual(symbols.map((_, i) => String(i + 1)));
    expect([...risk.lastMarkUpdate.keys()]).toEqual(symbols);
  });

  it('treats a symbol missing from the answer as a null quote', async () => {
    const { sequential, batched } = await runBoth({ 'A-USD': { value: null }, 'B-USD': { value: quote() } }, [
      'A-USD',
      'B-USD',
    ]);
    expect(batched.logs.map((r) => r.message)).toEqual(['Error updating mark for A-USD: No quote for A-USD']);
    expect(batched).toEqual(sequential);
  });

  it('logs every symbol of a failed request with its message, as per-symbol failures log', async () => {
    const fail = new Error('429 Too Many Requests');
    const failing = makeService({
      symbols: ['A-USD', 'B-USD'],
      batchQuotes: true,
      broker: { getQuote: () => Promise.reject(fail), getQuotes: () => Promise.reject(fail) },
    });
    const perSymbol = makeService({ symbols: ['A-USD', 'B-USD'], broker: { getQuote: () => Promise.reject(fail) } });
    await failing.service.updateMarks();
    await perSymbol.service.updateMarks();
    expect(failing.logger.records.map((r) => r.message)).toEqual([
      'Error updating mark for A-USD: 429 Too Many Requests',
      'Error updating mark for B-USD: 429 Too Many Requests',
    ]);
    expect(outcome(failing)).toEqual(outcome(perSymbol));
  });

  it('catches a getQuotes that throws synchronously', async () => {
    const getQuotes = () => {
      throw new Error('bad request');
    };
    const { service, logger } = makeService({
      symbols: ['A-USD'],
      batchQuotes: true,
      broker: { getQuote: async () => quote() as never, getQuotes },
    });
    await service.updateMarks();
    expect(logger.records.map((r) => r.message)).toEqual(['Error updating mark for A-USD: bad request']);
  });

  it('falls back to one request per symbol when the broker has no getQuotes', async () => {
    const { getQuote, calls } = tableBroker({ 'A-USD': { value: quote() }, 'B-USD': { value: quote() } });
    const { service } = makeService({ broker: { getQuote }, symbols: ['A-USD', 'B-USD'], batchQuotes: true });
    await service.updateMarks();
    expect(calls).toEqual([['A-USD'], ['B-USD']]);
    expect(service.markWindows.size('B-USD')).toBe(1);
  });

  it('keeps one request per symbol when batching is off, although the broker could batch', async () => {
    const broker = tableBroker({ 'A-USD': { value: quote() } });
    const { service } = makeService({ broker, symbols: ['A-USD'] });
    await service.updateMarks();
    expect(broker.calls).toEqual([['A-USD']]);
  });

  it('asks per symbol when a symbol is listed twice (a batch could answer it only once)', async () => {
    const broker = tableBroker({ 'A-USD': { value: quote() } });
    const { service } = makeService({ broker, symbols: ['A-USD', 'A-USD'], batchQuotes: true });
    await service.updateMarks();
    expect(broker.calls).toEqual([['A-USD'], ['A-USD']]);
    expect(service.markWindows.size('A-USD')).toBe(2);
  });

  it('has the sequential effects for a table of every kind of answer', async () => {
    const table: Record<string, TableAnswer> = {
      'A-USD': { value: quote({ last: new Decimal('101.5') }) },
      'B-USD': { value: null },
      'C-USD': { throws: 'lookup failed' },
      'D-USD': { value: quote({ last: new Decimal(0) }) },
      'E-USD': { value: quote({ ts: 'yesterday', last: '7' }) },
      // F-USD: no entry at all.
    };
    const { sequential, batched, calls } = await runBoth(table, SYMBOLS, 3);
    expect(calls).toEqual([SYMBOLS, SYMBOLS, SYMBOLS]);
    expect(batched).toEqual(sequential);
    expect(batched.logs).toHaveLength(4 * 3);
  });
});

const arbAnswer: fc.Arbitrary<TableAnswer | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant({ value: null }),
  fc.constant({ value: undefined }),
  fc.string({ maxLength: 8 }).map((m) => ({ throws: m })),
  fc.oneof(fc.integer({ min: -5, max: 1000 }), fc.constant(Number.NaN)).map((n) => ({ value: quote({ last: n }) })),
  fc.constantFrom('1.25', 'x', '').map((t) => ({ value: quote({ last: t, ts: undefined }) })),
);

describe('batched and sequential mark updates (property)', () => {
  it('give equal windows, risk timestamps and logs for any table of answers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(arbAnswer, { minLength: SYMBOLS.length, maxLength: SYMBOLS.length }),
        fc.integer({ min: 1, max: SYMBOLS.length }),
        async (answers, n) => {
          const table: Record<string, TableAnswer> = {};
          answers.forEach((a, i) => {
            if (a !== undefined) table[SYMBOLS[i] as string] = a;
          });
          const { sequential, batched } = await runBoth(table, SYMBOLS.slice(0, n), 2);
          expect(batched).toEqual(sequential);
        },
      ),
      { numRuns: 200 },
    );
  });
});
