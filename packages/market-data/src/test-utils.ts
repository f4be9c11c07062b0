import { Decimal, ManualClock, MemoryLogger, type MarkUpdateSink, type QuoteSource } from '@perps-bot/core';
import { MarketDataService, type MarketDataServiceOptions } from './market-data-service.js';
import type { MarkWindows } from './mark-windows.js';

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

export type QuoteAnswer = unknown | (() => unknown);

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
    broker?: QuoteSource;
    riskManager?: MarkUpdateSink;
    markWindows?: MarkWindows;
  } = {},
): ServiceFixture {
  const logger = new MemoryLogger();
  const risk = new RecordingRisk();
  const clock = new ManualClock('2026-03-01T12:30:00.000Z');
  const broker = options.broker ?? scriptedBroker({});
  const riskManager = options.riskManager ?? risk;
  const service = new MarketDataService({
    symbols: ['BTC-USD', 'ETH-USD'],
    shortMa: 20,
    longMa: 50,
    logger,
    clock,
    ...options,
    broker: () => broker,
    riskManager: () => riskManager,
  });
  return { service, logger, risk, clock };
}

export const asStrings = (marks: readonly Decimal[] | undefined): string[] | undefined => marks?.map((m) => m.toFixed());
