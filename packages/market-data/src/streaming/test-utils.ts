import { ManualClock, MemoryEventStore, MemoryLogger, type MarkUpdateSink } from '@perps-bot/core';
import { MarketDataService } from '../market-data-service.js';
import { MarkWindows } from '../mark-windows.js';
import { MarketActivityMonitor } from './market-activity-monitor.js';
import type { Sleep } from '@perps-bot/core';
import { ScriptedStreamSource, type StreamScript, type StreamStep } from './scripted-stream-source.js';
import { StreamingService, type StreamingServiceOptions } from './streaming-service.js';

export const START = '2026-03-01T12:00:00.000Z';

/** A Coinbase-style ticker message. */
export function ticker(symbol: string, bid: string, ask: string, extra: Record<string, unknown> = {}): StreamStep {
  return { message: { type: 'ticker', product_id: symbol, best_bid: bid, best_ask: ask, ...extra } };
}

/** Every mark timestamp the risk manager was given, in order. */
export class RecordingRiskSink implements MarkUpdateSink {
  readonly writes: { symbol: string; at: string }[] = [];
  recordMarkUpdate(symbol: string, at: Date): void {
    this.writes.push({ symbol, at: at.toISOString() });
  }
}

/** A Sleep the test resolves by hand; it remembers each requested delay. */
class ManualSleeper {
  readonly requested: number[] = [];
  #pending: (() => void)[] = [];
  #waiters: (() => void)[] = [];

  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve) => {
      this.requested.push(ms);
      const done = (): void => {
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.#pending.push(done);
      signal?.addEventListener('abort', done, { once: true });
      for (const wake of this.#waiters.splice(0)) wake();
    });

  /** Resolves once a sleep is pending. */
  whenSleeping(): Promise<void> {
    if (this.#pending.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  wakeAll(): void {
    for (const resolve of this.#pending.splice(0)) resolve();
  }
}

interface StreamingFixture {
  service: StreamingService;
  source: ScriptedStreamSource;
  marketData: MarketDataService;
  windows: MarkWindows;
  risk: RecordingRiskSink;
  events: MemoryEventStore;
  monitor: MarketActivityMonitor;
  logger: MemoryLogger;
  clock: ManualClock;
  sleeper: ManualSleeper;
}

export function makeStreaming(
  script: StreamScript,
  options: Partial<Omit<StreamingServiceOptions, 'source' | 'markWindows'>> & {
    riskSink?: MarkUpdateSink;
    clock?: ManualClock;
    shortMa?: number;
    longMa?: number;
  } = {},
): StreamingFixture {
  const clock = options.clock ?? new ManualClock(START);
  const logger = new MemoryLogger();
  const symbols = options.symbols ?? ['BTC-USD', 'ETH-USD'];
  const windows = MarkWindows.forAverages(options.shortMa ?? 2, options.longMa ?? 3);
  const risk = new RecordingRiskSink();
  const riskSink = options.riskSink ?? risk;
  const events = new MemoryEventStore({ clock });
  const monitor = new MarketActivityMonitor(symbols, { clock });
  const sleeper = new ManualSleeper();
  const source = new ScriptedStreamSource(script, { advance: (ms) => clock.advance(ms) });
  const marketData = new MarketDataService({
    symbols,
    broker: () => ({ getQuote: async () => null }),
    riskManager: () => riskSink,
    logger,
    clock,
    markWindows: windows,
  });
  const service = new StreamingService({
    riskManager: () => riskSink,
    eventStore: () => events,
    marketMonitor: monitor,
    logger,
    clock,
    sleep: sleeper.sleep,
    // The top of the jitter range, so the delays these tests expect are the plain doubled steps.
    random: () => 1,
    ...options,
    symbols,
    source: () => source,
    markWindows: windows,
  });
  return { service, source, marketData, windows, risk, events, monitor, logger, clock, sleeper };
}

/** Starts the service and waits until the source has delivered everything scripted (or the loop ended). */
export async function runUntilIdle(fixture: StreamingFixture, level: unknown = 1): Promise<void> {
  fixture.service.start(level);
  await Promise.race([fixture.source.whenIdle(), fixture.service.done]);
}

export const marksOf = (windows: MarkWindows, symbol: string): string[] =>
  (windows.get(symbol) ?? []).map((d) => d.toFixed());
export const logLines = (logger: MemoryLogger): string[] => logger.records.map((r) => `${r.level}: ${r.message}`);
