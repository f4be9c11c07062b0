import { z } from 'zod';
import { decimal, optionalDate, optionalDecimal, text } from './common.js';

const priceLevel = z.object({ price: decimal, size: decimal });

/** GET /best_bid_ask: one pricebook per product, best level first. */
export const bestBidAskResponseSchema = z.object({
  pricebooks: z.array(
    z.object({
      product_id: z.string().min(1),
      bids: z.array(priceLevel),
      asks: z.array(priceLevel),
      time: optionalDate,
    }),
  ),
});

const trade = z.object({
  trade_id: text,
  product_id: text,
  price: decimal,
  size: decimal,
  time: optionalDate,
  side: text,
});

/** GET /products/{id}/ticker: recent trades plus the best bid and ask ("" when a side is empty). */
export const tickerResponseSchema = z.object({
  trades: z.array(trade),
  best_bid: optionalDecimal,
  best_ask: optionalDecimal,
});
export type CoinbaseTicker = z.output<typeof tickerResponseSchema>;

/** GET /products/{id}/candles: `start` is UNIX seconds as a string. Coinbase lists newest first. */
export const candlesResponseSchema = z.object({
  candles: z.array(
    z.object({
      start: z.union([z.string(), z.number()]).transform((v, ctx) => {
        const seconds = Number(v);
        if (!Number.isFinite(seconds)) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `is not a UNIX time (${JSON.stringify(v)})` });
          return z.NEVER;
        }
        return new Date(seconds * 1000);
      }),
      low: decimal,
      high: decimal,
      open: decimal,
      close: decimal,
      volume: decimal,
    }),
  ),
});

/** GET /time. */
export const serverTimeSchema = z.object({ iso: z.string(), epochSeconds: z.union([z.string(), z.number()]) });
