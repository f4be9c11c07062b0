import { Decimal, ManualClock, MemoryLogger, type MarkUpdateSink, type QuoteSource } from '@perps-bot/core';
import { MarketDataService, type BatchQuoteSource, type MarketDataServiceOptions } from './market-data-service.js';
import { MarkWindows } from './mark-windows.js';

export const QUOTE_TS = new Date('2026-03-01T12:00:00.000Z');

/** A quote as brokers build them; `overrides` may set fields to anything, as a broken broker would. */
export function quote(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    symbol: 'BTC-USD',
    bid: new Decimal('49999'),
    ask: new Decimal('50001'),
    last: new Decimal('50000.0'),
    ts: QUOTE_TS,
    ...overrides,
  };
}

export class RecordingRisk implements MarkUpdateSink {
  readonly lastMarkUpdate = new Map<string, Date>();
  recordMarkUpdate(symbol: string, at: Date): void {
    this.lastMarkUpdate.set(symbol, at);
  }
}

type QuoteAnswer = unknown | (() => unknown);

/** A broker whose answers are given per symbol: a value, or a function (which may throw). */
export function scriptedBroker(answers: Record<string, QuoteAnswer>, fallback: QuoteAnswer = quote()): QuoteSource {
  return {
    getQuote: async (symbol: string) => {
      const answer = symbol in answers ? answers[symbol] : fallback;
      return (typeof answer === 'function' ? (answer as () => unknown)() : answer) as never;
    },
  };
}

export interface ServiceFixture {
  service: MarketDataService;
  logger: MemoryLogger;
  risk: RecordingRisk;
  clock: ManualClock;
}

export function makeService(
  options: Partial<Omit<MarketDataServiceOptions, 'broker' | 'riskManager'>> & {
    /** The store's averages when no `markWindows` is given (limit max + 5). */
    shortMa?: number;
    longMa?: number;
    broker?: BatchQuoteSource;
    riskManager?: MarkUpdateSink;
    markWindows?: MarkWindows;
  } = {},
): ServiceFixture {
  const logger = new MemoryLogger();
  const risk = new RecordingRisk();
  const clock = new ManualClock('2026-03-01T12:30:00.000Z');
  const broker = options.broker ?? scriptedBroker({});
  const riskManager = options.riskManager ?? risk;
  const { shortMa = 20, longMa = 50, ...rest } = options;
  const service = new MarketDataService({
    symbols: ['BTC-USD', 'ETH-USD'],
    logger,
    clock,
    markWindows: MarkWindows.forAverages(shortMa, longMa),
    ...rest,
    broker: () => broker,
    riskManager: () => riskManager,
  });
  return { service, logger, risk, clock };
}

export const asStrings = (marks: readonly Decimal[] | undefined): string[] | undefined =>
  marks?.map((m) => m.toFixed());

/** One symbol's answer in a table: a value (undefined = absent from a batch), or an error to throw. */
export type TableAnswer = { readonly value: unknown } | { readonly throws: string };

/** A batch answer whose lookups are evaluated on `get`, so one symbol's lookup can throw (an untrusted map). */
class LookupMap extends Map<string, unknown> {
  readonly #answer: (symbol: string) => unknown;
  constructor(symbols: readonly string[], answer: (symbol: string) => unknown) {
    super(symbols.map((s) => [s, undefined]));
    this.#answer = answer;
  }
  override get(symbol: string): unknown {
    return this.has(symbol) ? this.#answer(symbol) : undefined;
  }
}

/**
 * A broker answering getQuote and getQuotes from the same table, so both paths see the same answers; `calls`
 * lists the symbols of each request. In a batch, a throwing answer throws on that symbol's lookup only, and
 * a symbol with no entry or an undefined value is absent.
 */
export function tableBroker(
  table: Readonly<Record<string, TableAnswer>>,
): Required<BatchQuoteSource> & { calls: string[][] } {
  const answer = (symbol: string): unknown => {
    const entry = table[symbol];
    if (entry === undefined) return undefined;
    if ('throws' in entry) throw new Error(entry.throws);
    return entry.value;
  };
  const present = (symbol: string): boolean => {
    const entry = table[symbol];
    return entry !== undefined && ('throws' in entry || entry.value !== undefined);
  };
  const calls: string[][] = [];
  return {
    calls,
    getQuote: async (symbol) => {
      calls.push([symbol]);
      return answer(symbol) as never;
    },
    getQuotes: async (symbols) => {
      calls.push([...symbols]);
      return new LookupMap(symbols.filter(present), answer) as never;
    },
  };
}
