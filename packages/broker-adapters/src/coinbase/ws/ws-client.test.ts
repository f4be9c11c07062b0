import { ManualClock, MemoryLogger, PerpsBotError, type Quote } from '@perps-bot/core';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCdpKey } from '../auth/credentials.js';
import { START, testKey } from '../test-utils.js';
import { CoinbaseWsClient, type CoinbaseWsClientOptions, type WsEvent } from './ws-client.js';
import { heartbeatFrame, startFeed, take, ticker, tickerFrame, until } from './test-utils.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: Partial<CoinbaseWsClientOptions> = {}) {
  const feed = await startFeed();
  const logger = new MemoryLogger();
  const client = new CoinbaseWsClient({
    url: feed.url,
    subscriptions: [{ channel: 'ticker', productIds: ['BTC-USD', 'ETH-USD'] }],
    logger,
    clock: new ManualClock(START),
    ...options,
  });
  cleanups.push(
    () => feed.close(),
    () => client.close(),
  );
  return { feed, client, logger };
}

/** Drains an iterable; resolves with the error it ended with (undefined when it ended cleanly). */
async function endingOf(iterable: AsyncIterable<unknown>): Promise<unknown> {
  try {
    for await (const _ of iterable) void _;
  } catch (error) {
    return error;
  }
  return undefined;
}

const quoteText = (q: Quote) => `${q.symbol} ${q.bid.toFixed()}/${q.ask.toFixed()} last ${q.last.toFixed()}`;

describe('CoinbaseWsClient', () => {
  it('subscribes one channel per message, plus heartbeats, right after connecting', async () => {
    const { feed, client } = await setup();
    await client.start();
    const connection = await feed.connection(1, 2);
    expect(connection.received).toEqual([
      { type: 'subscribe', channel: 'ticker', product_ids: ['BTC-USD', 'ETH-USD'] },
      { type: 'subscribe', channel: 'heartbeats' },
    ]);
  });

  it('puts a fresh JWT (no uri claim) in each subscribe when a key is configured', async () => {
    const key = testKey('ec');
    const { feed, client } = await setup({ key: loadCdpKey(key.credentials) });
    await client.start();
    const connection = await feed.connection(1, 2);
    const tokens = connection.received.map((m) => String(m.jwt));
    expect(tokens[0]).not.toEqual(tokens[1]);
    for (const token of tokens) {
      const { payload } = await jwtVerify(token, key.publicKey, { currentDate: new Date(START) });
      expect(payload).toEqual({
        iss: 'cdp',
        sub: key.credentials.keyName,
        nbf: Date.parse(START) / 1000,
        exp: Date.parse(START) / 1000 + 120,
      });
      expect(decodeProtectedHeader(token).kid).toBe(key.credentials.keyName);
    }
  });

  it('parses ticker frames into quotes, one per ticker, stamped with the frame time', async () => {
    const { feed, client } = await setup();
    const quotes = client.quotes();
    await client.start();
    const connection = await feed.connection(1, 2);
    connection.send(heartbeatFrame(0));
    connection.send(
      tickerFrame(
        1,
        [ticker('BTC-USD', '68900.00', '68901.00', '68900.50'), ticker('ETH-USD', '3000.1', '3000.3', '3000.2')],
        'snapshot',
      ),
    );
    const got = await take(quotes, 2);
    expect(got.map(quoteText)).toEqual(['BTC-USD 68900/68901 last 68900.5', 'ETH-USD 3000.1/3000.3 last 3000.2']);
    expect(got[0]?.ts.toISOString()).toBe('2026-04-07T14:30:03.000Z');
  });

  it('detects a sequence gap: warns, emits it, resubscribes, still delivers, and drops duplicates', async () => {
    const { feed, client, logger } = await setup();
    const events = client.events();
    await client.start();
    const connection = await feed.connection(1, 2);
    connection.send(tickerFrame(1, [ticker('BTC-USD', '1', '3', '2')]));
    connection.send(tickerFrame(2, [ticker('BTC-USD', '1', '3', '2')]));
    connection.send(tickerFrame(5, [ticker('BTC-USD', '4', '6', '5')]));
    connection.send(tickerFrame(5, [ticker('BTC-USD', '9', '9', '9')])); // duplicate
    connection.send(tickerFrame(6, [ticker('BTC-USD', '7', '9', '8')]));
    const got = await take(events, 6);
    expect(got.map(describeEvent)).toEqual([
      'open',
      'message 1',
      'message 2',
      'gap 3→5 (2 missed)',
      'message 5',
      'message 6',
    ]);
    await feed.connection(1, 4);
    expect(connection.received.slice(2)).toEqual([
      { type: 'unsubscribe', channel: 'ticker', product_ids: ['BTC-USD', 'ETH-USD'] },
      { type: 'subscribe', channel: 'ticker', product_ids: ['BTC-USD', 'ETH-USD'] },
    ]);
    expect(logger.at('warn').map((r) => r.message)).toContain(
      'Coinbase WebSocket sequence gap: expected 3, got 5; resubscribing',
    );
  });

  it('counts a garbage frame that shows its sequence number as received: one warning, not also a gap', async () => {
    const { feed, client, logger } = await setup();
    const events = client.events();
    await client.start();
    const connection = await feed.connection(1, 2);
    connection.send(tickerFrame(1, [ticker('BTC-USD', '1', '3', '2')]));
    connection.sendRaw('{"channel":"ticker","sequence_num":2,"events":[{'); // cut short, number readable
    connection.send(tickerFrame(3, [ticker('BTC-USD', '1', '3', '2')]));
    connection.sendRaw('{"channel":"ticker","sequence_num":5,"events":[{'); // 4 was lost before it
    connection.send(tickerFrame(6, [ticker('BTC-USD', '4', '6', '5')]));
    const got = await take(events, 5);
    expect(got.map(describeEvent)).toEqual(['open', 'message 1', 'message 3', 'gap 4→5 (1 missed)', 'message 6']);
    expect(logger.at('warn').map((r) => [r.message, r.fields.sequenceNum ?? r.fields.missed])).toEqual([
      ['Ignoring a Coinbase WebSocket frame that is not JSON', 2],
      ['Ignoring a Coinbase WebSocket frame that is not JSON', 5],
      ['Coinbase WebSocket sequence gap: expected 4, got 5; resubscribing', 1],
    ]);
  });

  it('a lagging consumer: drops are bounded in bytes, counted, logged at most once a second, marked, and resubscribe', async () => {
    const clock = new ManualClock(START);
    const { feed, client, logger } = await setup({ clock, maxQueueBytes: 2_000 });
    const events = client.events();
    await client.start();
    const connection = await feed.connection(1, 2);
    const frame = (seq: number) => tickerFrame(seq, [ticker('BTC-USD', '1', '3', '2')]);
    const frameBytes = JSON.stringify(frame(10)).length;
    // Nobody reads: 40 frames arrive, about 2,000 bytes of them stay.
    for (let seq = 1; seq <= 40; seq++) connection.send(frame(seq));
    const drops = () => logger.at('warn').filter((r) => r.message.includes('consumer is behind'));
    await until(() => drops().length > 0, 'a drop warning');
    await new Promise((r) => setTimeout(r, 50));
    expect(drops()).toHaveLength(1);
    // A second later, the next drop is logged again with the count since the last warning.
    clock.advance(1_000);
    for (let seq = 41; seq <= 50; seq++) connection.send(frame(seq));
    await until(() => drops().length === 2, 'a second drop warning');
    const total = drops().reduce((n, r) => n + Number(r.fields.dropped), 0);
    expect(drops()[1]?.fields.droppedTotal).toBeGreaterThan(Number(drops()[0]?.fields.dropped));
    // The reader first learns that events were dropped, then gets the newest frames (≤ 2,000 bytes of them).
    const got = await take(events, 2);
    expect(got.map((e) => e.type)).toEqual(['dropped', 'message']);
    const kept = Math.floor(2_000 / frameBytes);
    // Everything but the newest `kept` frames (and the 'open' event, oldest of all) was dropped.
    expect(got[0]?.type === 'dropped' && got[0].count).toBeGreaterThanOrEqual(51 - kept - 1);
    expect(total).toBeLessThanOrEqual(50);
    // The drop resubscribed, so books rebuilt from fresh snapshots.
    await feed.connection(1, 4);
    expect(connection.received.slice(2, 4)).toEqual([
      { type: 'unsubscribe', channel: 'ticker', product_ids: ['BTC-USD', 'ETH-USD'] },
      { type: 'subscribe', channel: 'ticker', product_ids: ['BTC-USD', 'ETH-USD'] },
    ]);
  });

  it('does not reconnect by itself: a dropped connection ends the stream with a STREAM error', async () => {
    const { feed, client, logger } = await setup();
    const quotes = client.quotes();
    const events = client.events();
    await client.start();
    const first = await feed.connection(1, 2);
    first.send(tickerFrame(1, [ticker('BTC-USD', '1', '3', '2')]));
    await take(quotes, 1);
    first.socket.terminate();
    const error = await endingOf(quotes);
    expect(error).toBeInstanceOf(PerpsBotError);
    expect((error as PerpsBotError).code).toBe('STREAM');
    expect((error as PerpsBotError).message).toMatch(
      /^Coinbase WebSocket lost \(closed with code 1006\); the stream ends here/,
    );
    expect(await endingOf(events)).toBe(error); // every consumer learns of the same loss
    expect(logger.at('warn').map((r) => r.message)).toEqual([(error as PerpsBotError).message]);
    // Give a reconnect every chance to happen: none does, the client is done and cannot be restarted.
    await new Promise((r) => setTimeout(r, 50));
    expect(feed.connections).toHaveLength(1);
    expect(client.closed).toBe(true);
    await expect(client.start()).rejects.toBeInstanceOf(PerpsBotError);
  });

  it('ignores a garbage frame with a warning and keeps streaming', async () => {
    const { feed, client, logger } = await setup();
    const quotes = client.quotes();
    await client.start();
    const connection = await feed.connection(1, 2);
    connection.sendRaw('{"channel": "ticker", "events": [');
    connection.send({ channel: 'ticker', sequence_num: 'one', events: [] });
    connection.send({ type: 'error', message: 'failure to subscribe' });
    connection.send(tickerFrame(1, [ticker('BTC-USD', '1', '3', '2')]));
    expect((await take(quotes, 1)).map(quoteText)).toEqual(['BTC-USD 1/3 last 2']);
    expect(logger.at('warn').map((r) => r.message)).toEqual([
      'Ignoring a Coinbase WebSocket frame that is not JSON',
      'Ignoring a Coinbase WebSocket frame of unexpected shape',
      'Coinbase WebSocket error frame: failure to subscribe',
    ]);
    expect(feed.connections).toHaveLength(1); // no reconnect for a bad frame
  });

  it('drops a connection that misses its heartbeats and ends the stream (its owner reconnects)', async () => {
    const timers = manualTimers();
    const { feed, client, logger } = await setup({ livenessTimeoutMs: 5_000, timers });
    const messages = client.messages();
    await client.start();
    await feed.connection(1, 2);
    expect(timers.pending).toEqual([5_000]); // armed on open
    timers.fire(); // 5 s pass without a frame
    const error = await endingOf(messages);
    expect((error as PerpsBotError).code).toBe('STREAM');
    expect((error as PerpsBotError).details).toMatchObject({ reason: 'no message for 5000 ms' });
    expect(logger.at('warn').map((r) => r.message)).toEqual([
      'Coinbase WebSocket silent for 5000 ms (missed heartbeats); dropping the connection',
      'Coinbase WebSocket lost (no message for 5000 ms); the stream ends here and its owner reconnects',
    ]);
    expect(feed.connections).toHaveLength(1);
  });

  it('re-arms the liveness timer on every frame, so a connection with heartbeats stays', async () => {
    const timers = manualTimers();
    const { feed, client } = await setup({ livenessTimeoutMs: 5_000, timers });
    const events = client.events();
    await client.start();
    const connection = await feed.connection(1, 2);
    for (let i = 0; i < 5; i++) connection.send(heartbeatFrame(i));
    expect((await take(events, 6)).map(describeEvent).slice(1)).toEqual([0, 1, 2, 3, 4].map((i) => `message ${i}`));
    expect(timers.armed).toBe(7); // once for the handshake, once on open, once per frame…
    expect(timers.pending).toEqual([5_000]); // …each replacing the last
    expect(feed.connections).toHaveLength(1);
  });

  it('with timers that can refresh, a frame restarts the liveness countdown in place: one timer per connection, and silence still drops it', async () => {
    const withRefresh = manualTimers({ refresh: true });
    const { feed, client, logger } = await setup({ livenessTimeoutMs: 5_000, timers: withRefresh });
    const events = client.events();
    await client.start();
    const connection = await feed.connection(1, 2);
    for (let i = 0; i < 5; i++) connection.send(heartbeatFrame(i));
    await take(events, 6);
    expect(withRefresh.armed).toBe(2); // the handshake's, then the liveness timer on open: no new one per frame
    expect(withRefresh.refreshed).toBe(5);
    expect(withRefresh.pending).toEqual([5_000]);
    withRefresh.fire(); // 5 s without a frame
    await until(() => logger.at('warn').length > 0, 'the drop warning');
    expect(logger.at('warn')[0]?.message).toBe(
      'Coinbase WebSocket silent for 5000 ms (missed heartbeats); dropping the connection',
    );
  });

  it('closes cleanly: code 1000, consumers finish, no reconnect, no restart', async () => {
    const { feed, client, logger } = await setup();
    const consumed: Quote[] = [];
    const consumer = (async () => {
      for await (const quote of client.quotes()) consumed.push(quote);
    })();
    await client.start();
    const connection = await feed.connection(1, 2);
    connection.send(tickerFrame(1, [ticker('BTC-USD', '1', '3', '2')]));
    await until(() => consumed.length === 1, 'one quote');
    await client.close();
    await consumer; // the for-await loop ended
    await until(() => connection.closed !== null, 'server to see the close');
    expect(connection.closed).toEqual({ code: 1000 });
    expect(logger.at('warn')).toEqual([]); // a close is not a loss
    expect(feed.connections).toHaveLength(1);
    await expect(client.start()).rejects.toBeInstanceOf(PerpsBotError);
  });

  it('a connection that cannot be opened ends the stream and start() with a STREAM error, without retrying', async () => {
    const feed = await startFeed();
    const url = feed.url;
    await feed.close(); // nothing listens there any more
    const logger = new MemoryLogger();
    const client = new CoinbaseWsClient({
      url,
      subscriptions: [{ channel: 'ticker', productIds: ['BTC-USD'] }],
      logger,
    });
    cleanups.push(() => client.close());
    const ended = endingOf(client.messages());
    await expect(client.start()).rejects.toMatchObject({ code: 'STREAM' });
    const error = await ended;
    expect(error).toBeInstanceOf(PerpsBotError);
    expect((error as PerpsBotError).code).toBe('STREAM');
    expect(logger.at('warn')).toHaveLength(1);
  });
});

/** Liveness timers that only fire when told to; with `refresh`, they can restart a pending one in place. */
function manualTimers(options: { refresh?: boolean } = {}) {
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let next = 0;
  const refresh = (handle: unknown) => {
    if (!pending.has(handle as number)) throw new Error('refreshed a timer that is not pending');
    timers.refreshed++;
  };
  const timers = {
    armed: 0,
    refreshed: 0,
    ...(options.refresh ? { refresh } : {}),
    get pending() {
      return [...pending.values()].map((t) => t.ms);
    },
    set(callback: () => void, ms: number) {
      this.armed++;
      pending.set(++next, { callback, ms });
      return next;
    },
    clear(handle: unknown) {
      pending.delete(handle as number);
    },
    fire() {
      const due = [...pending.values()];
      pending.clear();
      for (const t of due) t.callback();
    },
  };
  return timers;
}

function describeEvent(event: WsEvent): string {
  switch (event.type) {
    case 'open':
      return 'open';
    case 'message':
      return `message ${event.envelope.sequence_num}`;
    case 'gap':
      return `gap ${event.expected}→${event.received} (${event.missed} missed)`;
    case 'dropped':
      return `dropped ${event.count}`;
  }
}

describe('CoinbaseWsClient and a long-lived caller signal', () => {
  it('lets go of its abort listener on the caller signal once the connection is lost', async () => {
    const { feed, client } = await setup();
    const signal = new AbortController().signal;
    let listeners = 0;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      listeners++;
      add(...args);
    }) as AbortSignal['addEventListener'];
    signal.removeEventListener = ((...args: Parameters<AbortSignal['removeEventListener']>) => {
      listeners--;
      remove(...args);
    }) as AbortSignal['removeEventListener'];
    const ended = endingOf(client.messages(signal));
    await client.start();
    expect(listeners).toBe(1);
    (await feed.connection(1, 2)).socket.terminate();
    expect(await ended).toBeInstanceOf(PerpsBotError);
    expect(listeners).toBe(0);
  });
});
