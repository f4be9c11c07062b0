import { ManualClock, silentLogger } from '@perps-bot/core';
import { MarketDataService, MarkWindows } from '@perps-bot/market-data';

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
