import { describe, expect, it } from 'vitest';
import { MarkWindows } from '../mark-windows.js';
import type { StreamStep } from './scripted-stream-source.js';
import { StreamingService } from './streaming-service.js';
import { logLines, makeStreaming, marksOf, runUntilIdle, ticker } from './test-utils.js';

const msg = (message: unknown): StreamStep => ({ message });

describe('StreamingService: the stream it opens', () => {
  it('opens the orderbook stream for the bot’s symbols at the level asked', async () => {
    const f = makeStreaming({ connections: [[]] });
    await runUntilIdle(f, 2);
    expect(f.source.opens).toEqual([{ method: 'streamOrderbook', symbols: ['BTC-USD', 'ETH-USD'], level: 2 }]);
    expect(logLines(f.logger)).toEqual([
      "info: Started WS streaming thread for symbols=['BTC-USD', 'ETH-USD'] level=2",
    ]);
    await f.service.stop();
  });

  it('falls back to the trades stream with a warning when the orderbook stream cannot open', async () => {
    const f = makeStreaming({ connections: [[ticker('BTC-USD', '10', '12')]], openFails: 'orderbook' });
    await runUntilIdle(f);
    expect(f.source.opens.map((o) => o.method)).toEqual(['streamOrderbook', 'streamTrades']);
    expect(f.logger.at('warn').map((r) => r.message)).toEqual([
      'Orderbook stream unavailable, falling back to trades: orderbook stream unavailable',
    ]);
    expect(marksOf(f.windows, 'BTC-USD')).toEqual(['11']);
    await f.service.stop();
  });

  it('logs an error and ends (still writing ws_stream_exit) when no stream opens', async () => {
    const f = makeStreaming({ connections: [], openFails: 'both' });
    await runUntilIdle(f);
    await f.service.done;
    expect(f.logger.at('error').map((r) => r.message)).toEqual([
      'Failed to start streaming trades: trades stream unavailable',
    ]);
    expect(f.events.metrics()).toEqual([{ event_type: 'ws_stream_exit' }]);
    expect(f.service.isRunning()).toBe(false);
  });

  it.each([
    [undefined, 1],
    [0, 1],
    [-3, 1],
    [2.9, 2],
    ['3', 3],
    [true, 1],
  ])('reads level %j as %d', async (level, expected) => {
    const f = makeStreaming({ connections: [[]] });
    await runUntilIdle(f, level);
    expect(f.source.opens[0]?.level).toBe(expected);
    expect(f.logger.at('warn')).toEqual([]);
    await f.service.stop();
  });

  it('warns and uses level 1 for a level that is not an integer', async () => {
    const f = makeStreaming({ connections: [[]] });
    await runUntilIdle(f, 'deep');
    expect(f.source.opens[0]?.level).toBe(1);
    expect(f.logger.at('warn').map((r) => r.message)).toEqual(['Invalid streaming level deep; defaulting to 1']);
    await f.service.stop();
  });

  it('skips the start with an info log when there are no symbols', () => {
    const f = makeStreaming({ connections: [[]] }, { symbols: [] });
    f.service.start(1);
    expect(f.service.isRunning()).toBe(false);
    expect(f.source.opens).toEqual([]);
    expect(logLines(f.logger)).toEqual(['info: No symbols configured; skipping streaming start']);
  });

  it('skips a second start with a debug log while running', async () => {
    const f = makeStreaming({ connections: [[]] });
    await runUntilIdle(f);
    f.service.start(1);
    expect(f.source.opens).toHaveLength(1);
    expect(f.logger.at('debug').map((r) => r.message)).toEqual(['Streaming already running; skipping duplicate start']);
    await f.service.stop();
  });
});

describe('StreamingService: reading a message', () => {
  // Each row: the message, then the mark it yields for BTC-USD (undefined = skipped silently).
  it.each<[string, unknown, string | undefined]>([
    ['best bid/ask mid', { product_id: 'BTC-USD', best_bid: '100', best_ask: '101' }, '100.5'],
    ['bid/ask mid', { product_id: 'BTC-USD', bid: '100', ask: '102' }, '101'],
    ['numbers, read through their decimal text', { product_id: 'BTC-USD', best_bid: 0.1, best_ask: 0.2 }, '0.15'],
    ['a falsy best_bid falls to bid', { product_id: 'BTC-USD', best_bid: '', bid: '90', best_ask: '110' }, '100'],
    [
      'bid 0 is present, so the mid is used',
      { product_id: 'BTC-USD', best_bid: 0, bid: 0, best_ask: '100', last: '7' },
      '50',
    ],
    ['one side missing: last', { product_id: 'BTC-USD', best_bid: '100', last: '99' }, '99'],
    ['a bid that is not a decimal: last', { product_id: 'BTC-USD', best_bid: 'x', best_ask: '101', last: '99' }, '99'],
    ['last', { product_id: 'BTC-USD', last: '42' }, '42'],
    ['price (trades channel)', { product_id: 'BTC-USD', price: '43.5' }, '43.5'],
    ['last 0 falls to price', { product_id: 'BTC-USD', last: 0, price: '44' }, '44'],
    ['symbol when product_id is missing', { symbol: 'BTC-USD', last: '45' }, '45'],
    ['symbol when product_id is empty', { product_id: '', symbol: 'BTC-USD', last: '46' }, '46'],
    ['a heartbeat (no symbol)', { type: 'heartbeats', last: '1' }, undefined],
    ['no price at all', { product_id: 'BTC-USD', type: 'subscriptions' }, undefined],
    ['an empty last and no price', { product_id: 'BTC-USD', last: '' }, undefined],
    ['a zero mark', { product_id: 'BTC-USD', last: '0' }, undefined],
    ['a negative mark', { product_id: 'BTC-USD', price: '-1' }, undefined],
    [
      'a negative mid, even with a good last',
      { product_id: 'BTC-USD', best_bid: '-5', best_ask: '1', last: '10' },
      undefined,
    ],
    [
      'a side that overflows to Infinity: last',
      { product_id: 'BTC-USD', best_bid: '1e9000000000000001', best_ask: '1', last: '3' },
      '3',
    ],
    ['a string frame', 'garbage', undefined],
    ['an array frame', [{ product_id: 'BTC-USD', last: '1' }], undefined],
    ['null', null, undefined],
    ['a number', 42, undefined],
  ])('%s', async (_name, message, expected) => {
    const f = makeStreaming({ connections: [[msg(message)]] });
    await runUntilIdle(f);
    await f.service.stop();
    expect(marksOf(f.windows, 'BTC-USD')).toEqual(expected === undefined ? [] : [expected]);
    const updates = f.events.metrics().filter((m) => m.event_type === 'ws_mark_update');
    expect(updates).toEqual(
      expected === undefined ? [] : [{ event_type: 'ws_mark_update', symbol: 'BTC-USD', mark: expected }],
    );
    expect(f.logger.at('warn')).toEqual([]);
  });

  it('does the bookkeeping for every accepted message: heartbeat, risk time, ws_mark_update', async () => {
    const f = makeStreaming({
      connections: [[ticker('BTC-USD', '10', '20'), { gapMs: 250 }, ticker('ETH-USD', '3', '5')]],
    });
    await runUntilIdle(f);
    await f.service.stop();
    expect(f.risk.writes).toEqual([
      { symbol: 'BTC-USD', at: '2026-03-01T12:00:00.000Z' },
      { symbol: 'ETH-USD', at: '2026-03-01T12:00:00.250Z' },
    ]);
    expect(f.monitor.lastUpdate('ETH-USD')?.toISOString()).toBe('2026-03-01T12:00:00.250Z');
    expect(f.monitor.lastUpdate('BTC-USD')?.toISOString()).toBe('2026-03-01T12:00:00.000Z');
    expect(f.events.metrics()).toEqual([
      { event_type: 'ws_mark_update', symbol: 'BTC-USD', mark: '15' },
      { event_type: 'ws_mark_update', symbol: 'ETH-USD', mark: '4' },
      { event_type: 'ws_stream_exit' },
    ]);
    expect(f.events.events.every((e) => e.botId === 'perps_bot' && e.type === 'metric')).toBe(true);
  });

  it("appends to the store it was given, the MarketDataService's too, with the store's trim", async () => {
    const shared = MarkWindows.forAverages(2, 3);
    const steps = Array.from({ length: 9 }, (_, i) => ticker('BTC-USD', String(i + 1), String(i + 1)));
    const f = makeStreaming({ connections: [steps] }, { shortMa: 2, longMa: 3 });
    expect(f.service.markWindows).toBe(f.marketData.markWindows);
    expect(f.service.markWindows).toBe(f.windows);
    expect(f.windows).not.toBe(shared);
    await runUntilIdle(f);
    await f.service.stop();
    expect(f.windows.limit).toBe(8);
    expect(marksOf(f.windows, 'BTC-USD')).toEqual(['2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('keeps the mark and logs the symbol when the bookkeeping fails, then goes on', async () => {
    let calls = 0;
    const flaky = {
      recordMarkUpdate: () => {
        if (calls++ === 0) throw new Error('risk store down');
      },
    };
    const f = makeStreaming(
      { connections: [[ticker('BTC-USD', '1', '1'), ticker('BTC-USD', '2', '2')]] },
      { riskSink: flaky },
    );
    await runUntilIdle(f);
    await f.service.stop();
    expect(marksOf(f.windows, 'BTC-USD')).toEqual(['1', '2']);
    expect(f.logger.at('error')).toEqual([
      {
        level: 'error',
        message: 'WS mark update bookkeeping failed for BTC-USD',
        fields: { symbol: 'BTC-USD', error: 'risk store down' },
      },
    ]);
    // The failing write came before the event-store write in the same try block, so only the second is recorded.
    expect(f.events.metrics().filter((m) => m.event_type === 'ws_mark_update')).toEqual([
      { event_type: 'ws_mark_update', symbol: 'BTC-USD', mark: '2' },
    ]);
  });
});

describe('StreamingService: a bad price (fixed quirk "bad-price-text")', () => {
  it.each([['abc'], [''], [true], [{ px: 1 }], ['NaN'], ['1_000'], ['1e9000000000000001']])(
    'warns naming the symbol for a fallback price %j, skips it and keeps streaming',
    async (bad) => {
      const f = makeStreaming({
        connections: [[msg({ product_id: 'ETH-USD', last: 0, price: bad }), ticker('ETH-USD', '3', '3')]],
      });
      await runUntilIdle(f);
      await f.service.stop();
      expect(f.logger.at('warn')).toEqual([
        {
          level: 'warn',
          message: `Skipping stream message with bad price ${JSON.stringify(bad)} for ETH-USD`,
          fields: { symbol: 'ETH-USD', rule: 'bad-price-text' },
        },
      ]);
      expect(marksOf(f.windows, 'ETH-USD')).toEqual(['3']);
      expect(f.events.metrics().map((m) => m.event_type)).toEqual(['ws_mark_update', 'ws_stream_exit']);
    },
  );
});

describe('StreamingService: stop', () => {
  it('aborts the stream, waits for the loop to write ws_stream_exit once, and forgets it', async () => {
    const f = makeStreaming({ connections: [[ticker('BTC-USD', '1', '1')]] });
    await runUntilIdle(f);
    expect(f.service.isRunning()).toBe(true);
    await f.service.stop();
    expect(f.service.isRunning()).toBe(false);
    expect(f.service.done).toBeUndefined();
    expect(f.events.metrics().map((m) => m.event_type)).toEqual(['ws_mark_update', 'ws_stream_exit']);
    await f.service.stop();
    expect(f.events.metrics()).toHaveLength(2);
  });

  it('does not process a message that arrives after stop, even from a source that ignores the abort', async () => {
    let release: () => void = () => undefined;
    let firstConsumed: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const consumed = new Promise<void>((r) => (firstConsumed = r));
    const f = makeStreaming({ connections: [] });
    const stubborn = {
      streamOrderbook: () =>
        (async function* () {
          yield { product_id: 'BTC-USD', last: '1' };
          firstConsumed();
          await gate;
          yield { product_id: 'BTC-USD', last: '2' };
        })(),
      streamTrades: () => (async function* () {})(),
    };
    const service = new StreamingService({
      symbols: ['BTC-USD'],
      source: () => stubborn,
      markWindows: f.windows,
      riskManager: () => f.risk,
      eventStore: () => f.events,
      logger: f.logger,
      clock: f.clock,
      stopTimeoutMs: 1_000,
    });
    service.start(1);
    await consumed;
    const stopping = service.stop();
    release();
    await stopping;
    expect(marksOf(f.windows, 'BTC-USD')).toEqual(['1']);
    expect(f.events.metrics().map((m) => m.event_type)).toEqual(['ws_mark_update', 'ws_stream_exit']);
  });

  it('returns after its bound when the source never ends, logging at debug', async () => {
    const f = makeStreaming({ connections: [] });
    const hung = {
      streamOrderbook: () => ({
        [Symbol.asyncIterator]: () => ({ next: () => new Promise<IteratorResult<never>>(() => undefined) }),
      }),
      streamTrades: () => (async function* () {})(),
    };
    const service = new StreamingService({
      symbols: ['BTC-USD'],
      source: () => hung,
      markWindows: f.windows,
      riskManager: () => f.risk,
      eventStore: () => f.events,
      logger: f.logger,
      clock: f.clock,
      stopTimeoutMs: 5,
    });
    service.start(1);
    await service.stop();
    expect(f.logger.at('debug').map((r) => r.message)).toEqual([
      'WS streaming loop did not end in time after stop; abandoning it',
    ]);
    expect(service.done).toBeUndefined();
  });
});
