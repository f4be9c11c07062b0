import { describeError } from '@perps-bot/core';
import type { PerpsBot } from '@perps-bot/orchestration';

/**
 * `--warm-up`: before the first cycle, each symbol's window is filled with the closes of its last `longMa`
 * one-minute candles (Coinbase's history, or the deterministic market's seeded one), so the strategy can
 * decide from the first cycle instead of waiting `longMa` cycles. A symbol without candles just starts cold.
 * Returns the number of marks added per symbol.
 */
export async function warmUpWindows(bot: PerpsBot): Promise<Record<string, number>> {
  const { longMa } = bot.config;
  const added: Record<string, number> = {};
  for (const symbol of bot.symbols) {
    try {
      const candles = await bot.broker.getCandles(symbol, 'ONE_MINUTE', longMa);
      const closes = [...candles]
        .sort((a, b) => a.ts.getTime() - b.ts.getTime())
        .map((c) => c.close)
        .filter((c) => c.isFinite() && c.isPositive());
      for (const close of closes) bot.markWindows.append(symbol, close);
      added[symbol] = closes.length;
    } catch (error) {
      bot.logger.warn(`Warm-up: no candles for ${symbol} (${describeError(error)}); it starts with an empty window`, {
        symbol,
      });
      added[symbol] = 0;
    }
  }
  bot.logger.info(`Warm-up: mark windows filled from candle history`, { added });
  return added;
}
