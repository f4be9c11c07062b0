import { MemoryLogger } from '@perps-bot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFrame } from './frames.js';
import { asEnvelope, envelopeSchema } from './messages.js';

const ticker = {
  channel: 'ticker',
  client_id: '',
  timestamp: '2026-04-07T14:30:03.000000Z',
  sequence_num: 12,
  events: [
    {
      type: 'update',
      tickers: [
        { type: 'ticker', product_id: 'BTC-USD', price: '68900.50', best_bid: '68900.00', best_ask: '68901.00' },
      ],
    },
  ],
};
const frame = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('readFrame: the hot-path envelope check', () => {
  it('accepts exactly what envelopeSchema accepts, on arbitrary frames', () => {
    const field = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.constant(null),
      fc.constant(undefined),
      fc.boolean(),
      fc.array(fc.anything(), { maxLength: 2 }),
      fc.dictionary(fc.string(), fc.anything(), { maxKeys: 2 }),
    );
    const candidate = fc.record(
      {
        channel: fc.oneof(field, fc.constantFrom('ticker', 'heartbeats', '')),
        client_id: field,
        timestamp: field,
        sequence_num: fc.oneof(field, fc.nat(), fc.integer({ min: -5, max: -1 }), fc.constant(1.5)),
        events: fc.oneof(
          field,
          fc.array(fc.oneof(fc.dictionary(fc.string(), fc.anything(), { maxKeys: 3 }), field), { maxLength: 3 }),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(candidate, fc.anything()), (value) => {
        // JSON text round trip first: the decoder only ever sees what JSON.parse produces.
        const text = JSON.stringify(value);
        if (text === undefined) return;
        const parsed = envelopeSchema.safeParse(JSON.parse(text));
        const fast = asEnvelope(JSON.parse(text));
        expect(fast !== undefined).toBe(parsed.success);
        if (parsed.success && fast) {
          expect({
            channel: fast.channel,
            client_id: fast.client_id,
            timestamp: fast.timestamp,
            sequence_num: fast.sequence_num,
            events: fast.events,
          }).toEqual(JSON.parse(JSON.stringify(parsed.data)));
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('returns the envelope without copying its events, with events defaulting to []', () => {
    const read = readFrame(frame(ticker), new MemoryLogger());
    expect(read.kind).toBe('envelope');
    expect(read.kind === 'envelope' && read.envelope.events[0]).toEqual(ticker.events[0]);
    const bare = readFrame(frame({ channel: 'subscriptions', sequence_num: 0 }), new MemoryLogger());
    expect(bare.kind === 'envelope' && bare.envelope.events).toEqual([]);
  });

  it('still refuses a bad frame with the same warning, naming the field and the problem', () => {
    const logger = new MemoryLogger();
    const read = readFrame(frame({ ...ticker, sequence_num: -1 }), logger);
    expect(read).toEqual({ kind: 'skipped', sequenceNum: undefined });
    expect(logger.records.map((r) => [r.message, r.fields])).toEqual([
      [
        'Ignoring a Coinbase WebSocket frame of unexpected shape',
        { field: 'sequence_num', problem: 'Number must be greater than or equal to 0', sequenceNum: undefined },
      ],
    ]);
    const logger2 = new MemoryLogger();
    expect(readFrame(frame({ ...ticker, events: [1] }), logger2)).toEqual({ kind: 'skipped', sequenceNum: 12 });
    expect(logger2.records[0]?.fields).toMatchObject({ field: 'events.0', sequenceNum: 12 });
  });

  it('reads an error frame as before, and a frame typed "error" without a readable message as an envelope check', () => {
    const logger = new MemoryLogger();
    expect(readFrame(frame({ type: 'error', message: 'failure to subscribe' }), logger)).toEqual({
      kind: 'skipped',
      sequenceNum: undefined,
    });
    expect(logger.records.map((r) => r.message)).toEqual(['Coinbase WebSocket error frame: failure to subscribe']);
  });

  it('reads text frames and fragmented frames alike', () => {
    const text = JSON.stringify(ticker);
    const logger = new MemoryLogger();
    expect(readFrame(text, logger).kind).toBe('envelope');
    const bytes = Buffer.from(text);
    expect(readFrame([bytes.subarray(0, 10), bytes.subarray(10)], logger).kind).toBe('envelope');
    expect(logger.records).toEqual([]);
  });
});
