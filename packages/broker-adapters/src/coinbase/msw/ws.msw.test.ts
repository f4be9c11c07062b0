// msw: scripts the exchange's side of the market-data WebSocket (ws.link) on a WHATWG socket — undici's, set
// up in whatwg-websocket.ts because Node 20 has none — so the adapter's client is tested as it runs.
import { ManualClock, MemoryLogger, type Quote } from '@perps-bot/core';
import { afterEach, describe, expect, it } from 'vitest';
import { CoinbaseWsClient, type CoinbaseWsSubscription, type WsEvent } from '../ws/ws-client.js';
import { CoinbaseMarketDataStream } from '../ws/stream-source.js';
import { globalWebSocketFactory } from '../ws/socket.js';
import { docs, installExchange, MARKET_WS, marketFeed } from './exchange.js';

const server = installExchange();
const BIP = 'BIP-20DEC30-CDE';
const clock = new ManualClock('2026-12-01T19:30:00Z');
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

type Frame = Record<string, unknown>;
interface Script {
  /** Every message the client sent, parsed. */
  readonly received: Frame[];
}

/** The exchange side: `onMessage` answers each client message with the frames it returns. */
function exchange(onMessage: (message: Frame, send: (frame: Frame) => void) => void): Script {
  const received: Frame[] = [];
  server.use(
    marketFeed.addEventListener('connection', ({ client }) => {
      client.addEventListener('message', (event) => {
        const message = JSON.parse(String(event.data)) as Frame;
        received.push(message);
        onMessage(message, (frame) => client.send(JSON.stringify(frame)));
      });
    }),
  );
  return { received };
}

function client(subscriptions: CoinbaseWsSubscription[], logger = new MemoryLogger()) {
  const c = new CoinbaseWsClient({ url: MARKET_WS, subscriptions, webSocket: globalWebSocketFactory, clock, logger });
  closers.push(() => c.close());
  return c;
}

function frame(name: string, sequence: number, patch: (f: Frame) => void = () => {}): Frame {
  const f = docs(name);
  f.sequence_num = sequence;
  patch(f);
  return f;
}

async function take<T>(iterator: AsyncIterator<T>, count: number): Promise<T[]> {
  const out: T[] = [];
  while (out.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

const describeEvent = (e: WsEvent) =>
  e.type === 'message'
    ? `${e.envelope.channel} #${e.envelope.sequence_num}`
    : e.type === 'gap'
      ? `gap ${e.expected}→${e.received}`
      : e.type;
const quoteText = (q: Quote) => `${q.symbol} ${q.bid.toFixed()}/${q.ask.toFixed()} last ${q.last.toFixed()}`;

describe('Coinbase market-data WebSocket contract (msw ws.link)', () => {
  it('subscribe → ack, ticker, heartbeats → a gap → unsubscribe and resubscribe → a fresh snapshot', async () => {
    let subscribes = 0;
    const script = exchange((message, send) => {
      if (message.type !== 'subscribe' || message.channel !== 'ticker') return;
      subscribes += 1;
      if (subscribes === 1) {
        send(frame('ws-subscriptions', 0));
        send(frame('ws-ticker', 1));
        send(frame('ws-heartbeats', 2));
        send(frame('ws-ticker', 5, (f) => ((f.events as Frame[])[0]!.type = 'update'))); // 3 and 4 lost
      } else {
        send(frame('ws-ticker', 6)); // the resubscription's fresh snapshot
      }
    });
    const c = client([{ channel: 'ticker', productIds: [BIP] }]);
    const events = c.events();
    await c.start();
    const seen = (await take(events, 7)).map(describeEvent);
    expect(seen).toEqual([
      'open',
      'subscriptions #0',
      'ticker #1',
      'heartbeats #2',
      'gap 3→5',
      'ticker #5',
      'ticker #6',
    ]);
    expect(script.received.map((m) => `${String(m.type)} ${String(m.channel)}`)).toEqual([
      'subscribe ticker',
      'subscribe heartbeats',
      'unsubscribe ticker',
      'subscribe ticker',
    ]);
    expect(script.received[0]).toEqual({ type: 'subscribe', channel: 'ticker', product_ids: [BIP] });
  });

  it('takes ticker quotes with their book, and ticker_batch (no best bid/ask) for its price', async () => {
    exchange((message, send) => {
      if (message.channel === 'ticker_batch') {
        send(frame('ws-ticker', 1, (f) => (f.channel = 'ticker_batch'))); // a batch that does carry a book
        send(frame('ws-ticker-batch', 2));
      }
    });
    const quotes = client([{ channel: 'ticker_batch', productIds: [BIP] }]).quotes();
    expect((await take(quotes, 2)).map(quoteText)).toEqual([
      `${BIP} 91240/91250 last 91245`,
      `${BIP} 91255/91255 last 91255`,
    ]);
  });

  it('answers a -USDC subscription with -USD data under the id asked for', async () => {
    exchange((message, send) => {
      if (message.channel !== 'ticker') return;
      send(
        frame('ws-ticker', 1, (f) => {
          const ticker = ((f.events as Frame[])[0]!.tickers as Frame[])[0]!;
          ticker.product_id = 'BTC-USD'; // what Coinbase sends for a BTC-USDC subscription
        }),
      );
    });
    const quotes = client([{ channel: 'ticker', productIds: ['BTC-USDC'] }]).quotes();
    expect((await take(quotes, 1)).map((q) => q.symbol)).toEqual(['BTC-USDC']);
  });

  it('builds the level2 book from l2_data, rebuilding it from the snapshot after a gap', async () => {
    let subscribes = 0;
    exchange((message, send) => {
      if (message.type !== 'subscribe' || message.channel !== 'level2') return;
      subscribes += 1;
      if (subscribes === 1) {
        send(frame('ws-l2-data', 0));
        send(
          frame('ws-l2-data', 3, (f) => {
            const event = (f.events as Frame[])[0]!;
            event.type = 'update';
            event.updates = [{ side: 'bid', event_time: f.timestamp, price_level: '91245', new_quantity: '1' }];
          }),
        );
      } else {
        send(frame('ws-l2-data', 4));
      }
    });
    const stream = new CoinbaseMarketDataStream({ url: MARKET_WS, webSocket: globalWebSocketFactory, clock });
    const controller = new AbortController();
    closers.push(async () => controller.abort());
    const messages = stream.streamOrderbook([BIP], 2, controller.signal);
    const got = await take(messages, 2);
    // The update after the gap is not applied to a book it cannot trust; the fresh snapshot is.
    expect(got.map((m) => `${String(m.best_bid)}/${String(m.best_ask)} #${String(m.sequence_num)}`)).toEqual([
      '91240/91250 #0',
      '91240/91250 #4',
    ]);
  });

  it('skips an error frame and a frame of unexpected shape with a warning, and goes on', async () => {
    exchange((message, send) => {
      if (message.channel !== 'ticker') return;
      send({ type: 'error', message: 'failure to subscribe' });
      send({ channel: 'ticker', sequence_num: 'one', events: [] });
      send(frame('ws-ticker', 1));
    });
    const logger = new MemoryLogger();
    const quotes = client([{ channel: 'ticker', productIds: [BIP] }], logger).quotes();
    expect((await take(quotes, 1)).map(quoteText)).toEqual([`${BIP} 91240/91250 last 91245`]);
    expect(logger.at('warn').map((r) => r.message)).toEqual([
      'Coinbase WebSocket error frame: failure to subscribe',
      'Ignoring a Coinbase WebSocket frame of unexpected shape',
    ]);
  });
});
