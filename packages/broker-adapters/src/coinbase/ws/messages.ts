import { z } from 'zod';
import { decimal, optionalDate } from '../schemas/common.js';

/** Every market-data frame: `channel`, `timestamp`, `sequence_num`, `events[]` (client_id is often absent). */
export const envelopeSchema = z.object({
  channel: z.string().min(1),
  client_id: z.string().optional(),
  timestamp: z.string().optional(),
  sequence_num: z.number().int().nonnegative(),
  events: z.array(z.record(z.unknown())).optional().default([]),
});
export type WsEnvelope = z.output<typeof envelopeSchema>;

/** A plain JSON object (what z.record / z.object accept): not null, not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The envelope check on the hot path: accepts exactly the frames envelopeSchema accepts (same fields, same
 * rules) and returns the parsed object itself instead of a copy; `events` defaults to [] as in the schema.
 * Undefined means "not accepted here": the caller runs the schema for its error. Keys the schema would strip
 * are left on the object; nothing reads them.
 */
export function asEnvelope(json: unknown): WsEnvelope | undefined {
  if (!isRecord(json)) return undefined;
  const { channel, client_id: clientId, timestamp, sequence_num: seq, events } = json;
  if (typeof channel !== 'string' || channel.length === 0) return undefined;
  if (clientId !== undefined && typeof clientId !== 'string') return undefined;
  if (timestamp !== undefined && typeof timestamp !== 'string') return undefined;
  if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0) return undefined;
  if (events === undefined) {
    json.events = [];
  } else {
    if (!Array.isArray(events)) return undefined;
    for (let i = 0; i < events.length; i++) if (!isRecord(events[i])) return undefined;
  }
  return json as WsEnvelope;
}

/** `{"type":"error","message":"…"}`: the server refused something (bad subscribe, auth). */
export const errorFrameSchema = z.object({ type: z.literal('error'), message: z.string().optional().default('') });

/** A ticker as a quote needs it; the raw object keeps every other field for the stream source. */
export const tickerQuoteSchema = z.object({
  product_id: z.string().min(1),
  price: decimal,
  best_bid: decimal,
  best_ask: decimal,
});

export const l2EventSchema = z.object({
  type: z.string(),
  product_id: z.string().min(1),
  updates: z.array(
    z.object({
      side: z.string(),
      event_time: optionalDate.optional(),
      price_level: decimal,
      new_quantity: decimal,
    }),
  ),
});
export type L2Event = z.output<typeof l2EventSchema>;

/** The `tickers` / `trades` arrays inside events, as raw objects. */
export function eventItems(event: Record<string, unknown>, key: 'tickers' | 'trades'): Array<Record<string, unknown>> {
  const items = event[key];
  if (!Array.isArray(items)) return [];
  return items.filter(
    (item): item is Record<string, unknown> => typeof item === 'object' && item !== null && !Array.isArray(item),
  );
}
