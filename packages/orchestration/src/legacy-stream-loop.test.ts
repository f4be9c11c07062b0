import { ManualClock, MemoryEventStore, MemoryLogger, type MarkUpdateSink } from '@perps-bot/core';
import { MarkWindows } from '@perps-bot/market-data';
import { ScriptedStreamSource, type StreamScript, type StreamStep } from '@perps-bot/market-data/testing';
import { describe, expect, it } from 'vitest';
import {
  runLegacyStreamLoop,
  startLegacyStream,
  stopLegacyStream,
  type LegacyStreamContext,
} from './legacy-stream-loop.js';

const tick = (product_id: string, price: string): StreamStep => ({
  message: { product_id, best_bid: price, best_ask: price },
});

function legacyFixture(script: StreamScript, overrides: Partial<LegacyStreamContext> = {}) {
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');
  const logger = new MemoryLogger();
  const events = new MemoryEventStore({ clock });
  const windows = MarkWindows.forAverages(1, 2);
  const riskWrites: string[] = [];
  const risk: MarkUpdateSink = { recordMarkUpdate: (symbol, at) => riskWrites.push(`${symbol}@${at.toISOString()}`) };
  const source = new ScriptedStreamSource(script, { advance: (ms) => clock.advance(ms) });
  const ctx: LegacyStreamContext = {
    source: () => source,
    markWindows: windows,
    riskManager: () => risk,
    eventStore: () => events,
    marketMonitor: undefined,
    logger,
    clock,
    botId: 'perps_bot',
    ...overrides,
  };
  const run = () => runLegacyStreamLoop(ctx, ['BTC-USD'], 1, new AbortController().signal);
  const metrics = () => events.metrics();
  const marks = (symbol: string) => (windows.get(symbol) ?? []).map((d) => d.toFixed());
  return { ctx, clock, logger, events, windows, riskWrites, source, run, metrics, marks };
}

describe('legacy stream loop: quirks kept from the reference', () => {
  it('ends for good on a fallback price that is not decimal text (no warning, later messages unread)', async () => {
    const f = legacyFixture({
      connections: [[tick('BTC-USD', '1'), { message: { product_id: 'BTC-USD', price: 'n/a' } }, tick('BTC-USD', '2')]],
      whenExhausted: 'end',
    });
    await f.run();
    expect(f.marks('BTC-USD')).toEqual(['1']);
    expect(f.metrics()).toEqual([
      { event_type: 'ws_mark_update', symbol: 'BTC-USD', mark: '1' },
      { event_type: 'ws_stream_error', message: 'Invalid price "n/a" in stream message for BTC-USD' },
      { event_type: 'ws_stream_exit' },
    ]);
    expect(f.logger.records).toEqual([]);
  });

  it('falls back quietly when the bid or ask is bad text: that conversion was guarded', async () => {
    const f = legacyFixture({
      connections: [[{ message: { product_id: 'BTC-USD', best_bid: 'x', best_ask: '3', last: '2' } }, { end: true }]],
    });
    await f.run();
    expect(f.marks('BTC-USD')).toEqual(['2']);
  });

  it('never reopens a stream that failed: ws_stream_error, ws_stream_exit, one open', async () => {
    const f = legacyFixture({
      connections: [[tick('BTC-USD', '1'), { disconnect: 'socket reset' }], [tick('BTC-USD', '2')]],
    });
    await f.run();
    expect(f.source.opens).toHaveLength(1);
    expect(f.metrics().map((m) => m.event_type)).toEqual(['ws_mark_update', 'ws_stream_error', 'ws_stream_exit']);
    expect(f.metrics()[1]).toEqual({ event_type: 'ws_stream_error', message: 'socket reset' });
  });

  it('never reopens a stream that ended: ws_stream_exit only', async () => {
    const f = legacyFixture({ connections: [[{ end: true }], [tick('BTC-USD', '2')]] });
    await f.run();
    expect(f.source.opens).toHaveLength(1);
    expect(f.metrics()).toEqual([{ event_type: 'ws_stream_exit' }]);
  });

  it('starts silently with no symbols, and has no already-running guard', async () => {
    const f = legacyFixture({ connections: [[], []] });
    expect(startLegacyStream(f.ctx, [], 1)).toBeUndefined();
    expect(f.logger.records).toEqual([]);
    const first = startLegacyStream(f.ctx, ['BTC-USD'], 1);
    const second = startLegacyStream(f.ctx, ['BTC-USD'], 1);
    expect(f.source.opens).toHaveLength(2);
    await f.source.whenIdle();
    await stopLegacyStream(second, f.logger);
    // The first loop is still running: only the one that was stopped wrote its exit.
    expect(f.metrics()).toEqual([{ event_type: 'ws_stream_exit' }]);
    await stopLegacyStream(first, f.logger);
    expect(f.metrics()).toHaveLength(2);
  });
});

describe('legacy stream loop: the reference behaviour it shares with the StreamingService', () => {
  it('logs the start, opens the orderbook at the configured level (0 → 1) and stops on abort', async () => {
    const f = legacyFixture({ connections: [[tick('BTC-USD', '5')]] });
    const handle = startLegacyStream(f.ctx, ['BTC-USD', 'ETH-USD'], 0);
    await f.source.whenIdle();
    await stopLegacyStream(handle, f.logger);
    expect(f.logger.records.map((r) => r.message)).toEqual([
      "Started WS streaming thread for symbols=['BTC-USD', 'ETH-USD'] level=1",
    ]);
    expect(f.source.opens).toEqual([{ method: 'streamOrderbook', symbols: ['BTC-USD', 'ETH-USD'], level: 1 }]);
    expect(f.metrics().map((m) => m.event_type)).toEqual(['ws_mark_update', 'ws_stream_exit']);
    expect(f.riskWrites).toEqual(['BTC-USD@2026-03-01T12:00:00.000Z']);
  });

  it.each([
    ['3', 3],
    [2.7, 2],
    ['deep', 1],
  ])('reads the configured level %j as %d', async (level, expected) => {
    const f = legacyFixture({ connections: [[]] });
    const handle = startLegacyStream(f.ctx, ['BTC-USD'], level);
    await f.source.whenIdle();
    await stopLegacyStream(handle, f.logger);
    expect(f.source.opens[0]?.level).toBe(expected);
    expect(f.logger.at('warn').length).toBe(level === 'deep' ? 1 : 0);
  });

  it('falls back to trades, and logs an error and still exits when neither opens', async () => {
    const trades = legacyFixture({
      connections: [[{ message: { product_id: 'BTC-USD', price: '9' } }, { end: true }]],
      openFails: 'orderbook',
    });
    await trades.run();
    expect(trades.marks('BTC-USD')).toEqual(['9']);
    expect(trades.logger.at('warn').map((r) => r.message)).toEqual([
      'Orderbook stream unavailable, falling back to trades: orderbook stream unavailable',
    ]);
    const none = legacyFixture({ connections: [], openFails: 'both' });
    await none.run();
    expect(none.logger.at('error').map((r) => r.message)).toEqual([
      'Failed to start streaming trades: trades stream unavailable',
    ]);
    expect(none.metrics()).toEqual([{ event_type: 'ws_stream_exit' }]);
  });

  it('trims the window with the bot’s rule and keeps the mark when the bookkeeping fails', async () => {
    const f = legacyFixture(
      { connections: [[...['1', '2', '3', '4', '5', '6', '7', '8'].map((p) => tick('BTC-USD', p)), { end: true }]] },
      {
        riskManager: () => ({
          recordMarkUpdate: () => {
            throw new Error('risk down');
          },
        }),
      },
    );
    await f.run();
    expect(f.marks('BTC-USD')).toEqual(['2', '3', '4', '5', '6', '7', '8']);
    expect(f.logger.at('error')).toHaveLength(8);
    expect(f.logger.at('error')[0]).toEqual({
      level: 'error',
      message: 'WS mark update bookkeeping failed for BTC-USD',
      fields: { symbol: 'BTC-USD', error: 'risk down' },
    });
    expect(f.metrics()).toEqual([{ event_type: 'ws_stream_exit' }]);
  });

  it('logs when the exit metric cannot be written', async () => {
    const f = legacyFixture({ connections: [[{ end: true }]] });
    f.events.close();
    await f.run();
    expect(f.logger.at('error').map((r) => r.message)).toEqual(['Failed to record WS stream exit metric']);
  });

  it('stopping nothing is a no-op', async () => {
    const logger = new MemoryLogger();
    await stopLegacyStream(undefined, logger);
    expect(logger.records).toEqual([]);
  });
});
