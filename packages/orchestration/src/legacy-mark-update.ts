import {
  describeError,
  isValidDate,
  parseDecimal,
  decimalToString,
  type Clock,
  type Logger,
  type QuoteSource,
  type MarkUpdateSink,
} from '@perps-bot/core';
import type { MarkWindows } from '@perps-bot/market-data';

export interface LegacyMarkUpdateContext {
  readonly symbols: readonly string[];
  readonly broker: QuoteSource;
  readonly riskManager: MarkUpdateSink | undefined;
  /** The bot's store; it carries the reference's trim, max(shortMa, longMa) + 5. */
  readonly markWindows: MarkWindows;
  readonly logger: Logger;
  readonly clock: Clock;
}

/**
 * The pre-extraction `update_marks` of PerpsBot, kept as the rollback path and as the control of the
 * golden masters. Deliberately written on its own, not on top of MarketDataService: it is the old code
 * the new service is proven against. Change it only to keep golden equality.
 */
export async function updateMarksLegacy(ctx: LegacyMarkUpdateContext): Promise<void> {
  for (const symbol of [...ctx.symbols]) {
    let ts: Date;
    try {
      const quote = (await ctx.broker.getQuote(symbol)) as unknown;
      if (quote === null || quote === undefined || typeof quote !== 'object') {
        throw new Error(`No quote for ${symbol}`);
      }
      const q = quote as Record<string, unknown>;
      const rawPrice = 'last' in q ? q.last : q.lastPrice;
      if (rawPrice === null || rawPrice === undefined) throw new Error(`Quote missing price for ${symbol}`);
      const mark = parseDecimal(rawPrice);
      if (mark === undefined) {
        const shown =
          typeof rawPrice === 'string'
            ? JSON.stringify(rawPrice)
            : typeof rawPrice === 'object'
              ? Object.prototype.toString.call(rawPrice)
              : String(rawPrice);
        throw new Error(`Invalid mark price: ${shown} for ${symbol}`);
      }
      if (mark.lessThanOrEqualTo(0)) throw new Error(`Invalid mark price: ${decimalToString(mark)} for ${symbol}`);
      ts = isValidDate(q.ts) ? q.ts : ctx.clock.now();
      ctx.markWindows.append(symbol, mark);
    } catch (error) {
      ctx.logger.error(`Error updating mark for ${symbol}: ${describeError(error)}`, { symbol });
      continue;
    }
    try {
      ctx.riskManager?.recordMarkUpdate(symbol, ts);
    } catch (error) {
      ctx.logger.debug(`Failed to update mark timestamp for ${symbol}: ${describeError(error)}`, { symbol });
    }
  }
}
