import { QuoteError, ErrorCodes, isValidDate, parseDecimal, decimalToString, type Clock } from '@perps-bot/core';
import type { Decimal } from 'decimal.js';

export interface MarkFromQuote {
  readonly mark: Decimal;
  readonly ts: Date;
}

/**
 * Turns a broker's quote into a mark, with the reference's rules: no quote → error; price = `last` whenever
 * the field exists (even when null), else `lastPrice`; no price → error; the price must parse as a decimal
 * and be > 0; the timestamp is the quote's own when it is a real date, else the clock's now.
 * The quote is treated as untrusted input: it may come from a scripted or broken broker.
 */
export function markFromQuote(symbol: string, quote: unknown, clock: Clock): MarkFromQuote {
  if (quote === null || quote === undefined || typeof quote !== 'object') {
    throw new QuoteError(ErrorCodes.NO_QUOTE, symbol, `No quote for ${symbol}`);
  }
  const fields = quote as Record<string, unknown>;
  const raw = 'last' in fields ? fields.last : fields.lastPrice;
  if (raw === null || raw === undefined) {
    throw new QuoteError(ErrorCodes.BAD_QUOTE, symbol, `Quote missing price for ${symbol}`);
  }
  const mark = parseDecimal(raw);
  if (mark === undefined) {
    throw new QuoteError(ErrorCodes.BAD_QUOTE, symbol, `Invalid mark price: ${describeRaw(raw)} for ${symbol}`);
  }
  if (mark.lessThanOrEqualTo(0)) {
    throw new QuoteError(ErrorCodes.BAD_QUOTE, symbol, `Invalid mark price: ${decimalToString(mark)} for ${symbol}`);
  }
  const ts = isValidDate(fields.ts) ? fields.ts : clock.now();
  return { mark, ts };
}

function describeRaw(raw: unknown): string {
  if (typeof raw === 'string') return JSON.stringify(raw);
  if (typeof raw === 'number' || typeof raw === 'bigint' || typeof raw === 'boolean') return String(raw);
  return Object.prototype.toString.call(raw);
}
