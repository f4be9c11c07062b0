// A loopback `ws` server (test-utils' startFeed), so these also run against the client before it took a
// WHATWG socket: they pin ticker_batch and the USDC→USD answer on the default transport.
import { ManualClock, type Quote } from '@perps-bot/core';
import { afterEach, describe, expect, it } from 'vitest';
import { CoinbaseWsClient } from './ws-client.js';
import { CoinbaseMarketDataStream } from './stream-source.js';
import { startFeed, take, ticker, tickerFrame } from './test-utils.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const clock = new ManualClock('2026-12-01T19:30:00Z');
const text = (q: Quote) => `${q.symbol} ${q.bid.toFixed()}/${q.ask.toFixed()} last ${q.last.toFixed()}`;

async function feedAndClient(channel: string, productIds: string[]) {
  const feed = await startFeed();
  const client = new CoinbaseWsClient({ url: feed.url, subscriptions: [{ channel, productIds }], clock });
  cleanups.push(
    () => feed.close(),
    () => client.close(),
  );
  return { feed, client };
}

describe('quotes the exchange sends in shapes the first client did not expect', () => {
  it('takes a ticker_batch ticker, which has no best bid/ask, for its price', async () => {
    const { feed, client } = await feedAndClient('ticker_batch', ['BIP-20DEC30-CDE']);
    const quotes = client.quotes();
    await client.start();
    const connection = await feed.connection(1, 2);
    const frame = tickerFrame(1, [{ product_id: 'BIP-20DEC30-CDE', price: '91255' }]);
    connection.send({ ...frame, channel: 'ticker_batch' });
    expect((await take(quotes, 1)).map(text)).toEqual(['BIP-20DEC30-CDE 91255/91255 last 91255']);
  });

  it('maps -USD data answering a -USDC subscription back to the -USDC id (quotes)', async () => {
    const { feed, client } = await feedAndClient('ticker', ['BTC-USDC', 'ETH-USD']);
    const quotes = client.quotes();
    await client.start();
    const connection = await feed.connection(1, 2);
    connection.send(tickerFrame(1, [ticker('BTC-USD', '1', '3', '2'), ticker('ETH-USD', '4', '6', '5')]));
    expect((await take(quotes, 2)).map((q) => q.symbol)).toEqual(['BTC-USDC', 'ETH-USD']);
  });

  it('maps -USD data answering a -USDC subscription back to the -USDC id (stream messages)', async () => {
    const feed = await startFeed();
    cleanups.push(() => feed.close());
    const controller = new AbortController();
    cleanups.push(async () => controller.abort());
    const stream = new CoinbaseMarketDataStream({ url: feed.url, clock });
    const messages = stream.streamOrderbook(['BTC-USDC', 'BTC-USD'], 1, controller.signal);
    const first = messages.next();
    const connection = await feed.connection(1, 2);
    connection.send(tickerFrame(1, [ticker('BTC-USD', '1', '3', '2')]));
    const got = [(await first).value, ...(await take(messages, 1))];
    // Both were asked for: the one frame answers each.
    expect(got.map((m) => (m as { product_id: string }).product_id)).toEqual(['BTC-USD', 'BTC-USDC']);
  });
});
