import type { Decimal } from '@perps-bot/core';
import { fastMidFromText, streamDecimal } from './decimal-text.js';

/**
 * Python truthiness for JSON values, because the reference picks fields with `a or b`: null, false, 0, "",
 * [] and {} are falsy, everything else is truthy.
 */
function isTruthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.length > 0;
  for (const _key in value) return true;
  return false;
}

export const StreamMarkOutcome = { Skip: 0, Mark: 1, BadPrice: 2 } as const;
export type StreamMarkOutcome = (typeof StreamMarkOutcome)[keyof typeof StreamMarkOutcome];

/**
 * Reads the mark out of one streamed message with the reference's rules, into reusable slots so that the
 * ingest hot path allocates nothing besides the decimals:
 * - anything that is not a plain object is skipped;
 * - symbol = product_id, else symbol (by truthiness); empty → skipped;
 * - mark = (bid + ask) / 2 with bid = best_bid or bid and ask = best_ask or ask (by truthiness), when both
 *   are present; a side that is not a decimal makes the mid unusable and the fallback is tried, as in the
 *   reference's guarded conversion;
 * - otherwise mark = last, else price (by truthiness); neither present → skipped;
 * - the fallback price is not a decimal → `BadPrice` (the reference raised and ended the stream here; the
 *   StreamingService warns and skips instead, see streaming-service.ts);
 * - mark ≤ 0 → skipped.
 */
export class StreamMarkReader {
  symbol = '';
  mark: Decimal | undefined = undefined;
  /** The unparsable fallback value, when the outcome is `BadPrice`. */
  badPrice: unknown = undefined;

  read(message: unknown): StreamMarkOutcome {
    this.mark = undefined;
    this.badPrice = undefined;
    if (message === null || typeof message !== 'object' || Array.isArray(message)) return StreamMarkOutcome.Skip;
    const m = message as Record<string, unknown>;
    const rawSymbol = isTruthy(m.product_id) ? m.product_id : m.symbol;
    if (!isTruthy(rawSymbol)) return StreamMarkOutcome.Skip;
    this.symbol = typeof rawSymbol === 'string' ? rawSymbol : String(rawSymbol);

    let mark: Decimal | undefined;
    const bid = isTruthy(m.best_bid) ? m.best_bid : m.bid;
    const ask = isTruthy(m.best_ask) ? m.best_ask : m.ask;
    if (bid !== undefined && bid !== null && ask !== undefined && ask !== null) {
      // Tickers carry plain decimal text: one exact integer mid and one Decimal instead of three.
      if (typeof bid === 'string' && typeof ask === 'string') mark = fastMidFromText(bid, ask);
      if (mark === undefined) {
        const b = streamDecimal(bid);
        const a = b === undefined ? undefined : streamDecimal(ask);
        if (b !== undefined && a !== undefined) mark = b.plus(a).div(2);
      }
    }
    if (mark === undefined) {
      const raw = isTruthy(m.last) ? m.last : m.price;
      if (raw === undefined || raw === null) return StreamMarkOutcome.Skip;
      mark = streamDecimal(raw);
      if (mark === undefined) {
        this.badPrice = raw;
        return StreamMarkOutcome.BadPrice;
      }
    }
    // isZero/isNegative instead of lte(0): no Decimal is built for the comparison.
    if (mark.isZero() || mark.isNegative()) return StreamMarkOutcome.Skip;
    this.mark = mark;
    return StreamMarkOutcome.Mark;
  }
}
