import { ManualClock, silentLogger, type Clock, type EventStore, type MarketDataStreamSource } from '@perps-bot/core';
import { MarketDataService, MarkWindows, StreamingService, type MarketActivityMonitor } from '@perps-bot/market-data';
import type { LiveRiskManager } from '@perps-bot/risk';

/**
 * The window writer every streaming bench feeds: a MarketDataService over the bot's default averages (20/50),
 * with no broker answers, no risk manager and a still clock, so only the window path itself is measured.
 */
export function windowWriter(symbols: readonly string[]): { markWindows: MarkWindows; service: MarketDataService } {
  const markWindows = MarkWindows.forAverages(20, 50);
  const service = new MarketDataService({
    symbols,
    broker: () => ({ getQuote: async () => null }),
    riskManager: () => undefined,
    logger: silentLogger,
    clock: new ManualClock(),
    markWindows,
  });
  return { markWindows, service };
}

/** The StreamingService as PerpsBot wires it, logs silenced: the one set-up every streaming bench measures. */
export function botStreaming(options: {
  symbols: readonly string[];
  source: MarketDataStreamSource;
  markWindows: MarkWindows;
  risk: LiveRiskManager;
  events: EventStore | undefined;
  clock: Clock;
  marketMonitor?: MarketActivityMonitor;
}): StreamingService {
  return new StreamingService({
    symbols: [...options.symbols],
    source: () => options.source,
    markWindows: options.markWindows,
    riskManager: () => options.risk,
    eventStore: () => options.events,
    ...(options.marketMonitor ? { marketMonitor: options.marketMonitor } : {}),
    logger: silentLogger,
    clock: options.clock,
  });
}
