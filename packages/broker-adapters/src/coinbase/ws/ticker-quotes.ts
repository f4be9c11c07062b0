import type { Clock, Logger, Quote } from '@perps-bot/core';
import { eventItems, tickerQuoteSchema, type WsEnvelope } from './messages.js';
import type { ProductAliases } from './product-aliases.js';
import { z } from 'zod';
import { decimal } from '../schemas/common.js';

/** A `ticker_batch` ticker: the AsyncAPI spec lists no best bid/ask on this channel, only the price. */
const priceOnlySchema = z.object({ product_id: z.string().min(1), price: decimal });

/**
 * Quotes in a `ticker` or `ticker_batch` frame: bid = best_bid, ask = best_ask, last = price, ts = the frame's
 * timestamp (else the clock). A `ticker_batch` ticker has no bid/ask (docs' AsyncAPI spec), so it is taken for
 * its price: bid = ask = last = price — a mark, not a book (its spread reads 0). On `ticker`, a ticker without
 * a usable bid/ask/price is skipped. Ids answering a `-USDC` subscription come back as the id asked for.
 */
export function quotesFromEnvelope(
  envelope: WsEnvelope,
  clock: Clock,
  logger: Logger,
  aliases?: ProductAliases,
): Quote[] {
  const batch = envelope.channel === 'ticker_batch';
  if (envelope.channel !== 'ticker' && !batch) return [];
  const stamp = envelope.timestamp ? new Date(envelope.timestamp) : undefined;
  const ts = stamp && !Number.isNaN(stamp.getTime()) ? stamp : clock.now();
  const out: Quote[] = [];
  for (const event of envelope.events) {
    for (const raw of eventItems(event, 'tickers')) {
      const quote = readTicker(raw, batch);
      if (!quote) {
        logger.debug(
          batch ? 'Skipping a ticker_batch ticker without a price' : 'Skipping a ticker without bid/ask/price',
          {
            productId: raw.product_id,
          },
        );
        continue;
      }
      for (const symbol of aliases ? aliases.resolve(quote.productId) : [quote.productId]) {
        out.push({ symbol, bid: quote.bid, ask: quote.ask, last: quote.last, ts });
      }
    }
  }
  return out;
}

function readTicker(raw: Record<string, unknown>, batch: boolean) {
  const full = tickerQuoteSchema.safeParse(raw);
  if (full.success) {
    const t = full.data;
    return { productId: t.product_id, bid: t.best_bid, ask: t.best_ask, last: t.price };
  }
  if (!batch) return undefined;
  const priced = priceOnlySchema.safeParse(raw);
  if (!priced.success) return undefined;
  const { product_id, price } = priced.data;
  return { productId: product_id, bid: price, ask: price, last: price };
}
