// Plain vitest: each docs-shaped fixture goes through the schema the adapter reads it with (no transport needed).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { listFillsResponseSchema, listOrdersResponseSchema, createOrderResponseSchema } from '../schemas/orders.js';
import { cfmPositionsResponseSchema } from '../schemas/positions.js';
import { previewOrderResponseSchema } from '../schemas/preview.js';
import { productSchema, productsResponseSchema } from '../schemas/products.js';
import { envelopeSchema, l2EventSchema, tickerQuoteSchema } from '../ws/messages.js';
import { docs } from './exchange.js';

const REST_SCHEMAS: Record<string, z.ZodTypeAny> = {
  'list-products': productsResponseSchema,
  'list-products-count-as-string': productsResponseSchema,
  'get-product-bip': productSchema,
  'preview-order-ok': previewOrderResponseSchema,
  'preview-order-refused': previewOrderResponseSchema,
  'create-order-refused-generic-error': createOrderResponseSchema,
  'create-order-refused-preview-reason': createOrderResponseSchema,
  'list-orders-page1': listOrdersResponseSchema,
  'list-orders-page2': listOrdersResponseSchema,
  'list-fills-page1': listFillsResponseSchema,
  'list-fills-page2': listFillsResponseSchema,
  'cfm-positions': cfmPositionsResponseSchema,
};
const WS_CHANNELS: Record<string, string> = {
  'ws-subscriptions': 'subscriptions',
  'ws-ticker': 'ticker',
  'ws-ticker-batch': 'ticker_batch',
  'ws-heartbeats': 'heartbeats',
  'ws-l2-data': 'l2_data',
  'ws-market-trades': 'market_trades',
  'ws-candles': 'candles',
  'ws-status': 'status',
  'ws-user': 'user',
  'ws-futures-balance-summary': 'futures_balance_summary',
};
const DIR = new URL('../__fixtures__/docs/', import.meta.url);

describe('docs-shaped fixtures', () => {
  it('every fixture has a schema here and a source row in SOURCES.md', () => {
    const files = readdirSync(DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5));
    expect(files.sort()).toEqual([...Object.keys(REST_SCHEMAS), ...Object.keys(WS_CHANNELS)].sort());
    const sources = readFileSync(new URL('SOURCES.md', DIR), 'utf8');
    for (const file of files) expect(sources, `${file}.json has no row in SOURCES.md`).toContain(`${file}.json`);
  });

  it.each(Object.entries(REST_SCHEMAS))('%s parses with its endpoint schema', (name, schema) => {
    const parsed = schema.safeParse(docs(name));
    expect(parsed.success ? '' : JSON.stringify(parsed.error.issues[0])).toBe('');
  });

  it.each(Object.entries(WS_CHANNELS))('%s is a %s envelope', (name, channel) => {
    const envelope = envelopeSchema.parse(docs(name));
    expect(envelope.channel).toBe(channel);
    expect(envelope.events.length).toBeGreaterThan(0);
  });

  it('the ticker, ticker_batch and l2_data events have the fields the client reads', () => {
    const [ticker] = (envelopeSchema.parse(docs('ws-ticker')).events[0]?.tickers ?? []) as unknown[];
    expect(tickerQuoteSchema.safeParse(ticker).success).toBe(true);
    const [batch] = (envelopeSchema.parse(docs('ws-ticker-batch')).events[0]?.tickers ?? []) as Array<
      Record<string, unknown>
    >;
    expect(batch && ('best_bid' in batch || 'best_ask' in batch)).toBe(false); // as the AsyncAPI spec lists it
    expect(l2EventSchema.safeParse(envelopeSchema.parse(docs('ws-l2-data')).events[0]).success).toBe(true);
  });

  it('refuses payloads the adapter must not accept', () => {
    const success = { success: true, failure_reason: '', order_id: 'x' }; // success without success_response
    expect(createOrderResponseSchema.safeParse(success).success).toBe(false);
    expect(productsResponseSchema.safeParse({ ...docs('list-products'), num_products: 'many' }).success).toBe(false);
    expect(productSchema.safeParse({ ...docs('get-product-bip'), quote_increment: 'a cent' }).success).toBe(false);
    expect(envelopeSchema.safeParse({ ...docs('ws-ticker'), sequence_num: -1 }).success).toBe(false);
    expect(
      cfmPositionsResponseSchema.safeParse({ positions: [{ product_id: 'BIP-20DEC30-CDE', side: 'LONG' }] }).success,
    ).toBe(false);
  });
});
