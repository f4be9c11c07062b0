import { MemoryLogger, type StreamMessage } from '@perps-bot/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createCoinbaseMarketDataStream } from '../factory.js';
import { l2Frame, startFeed, take, ticker, tickerFrame } from './test-utils.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const feed = await startFeed();
  cleanups.push(() => feed.close());
  const stream = createCoinbaseMarketDataStream({
    wsUrl: feed.url,
    logger: new MemoryLogger(),
    sleep: async () => undefined,
    random: () => 0,
  });
  const controller = new AbortController();
  cleanups.push(async () => controller.abort());
  return { feed, stream, controller };
}

describe('CoinbaseMarketDataStream: only sane items for subscribed products reach the consumer', () => {
  it('ticker: drops products it did not subscribe to, counts them, and strips a book without a mid', async () => {
    const { feed, stream, controller } = await setup();
    const messages = stream.streamOrderbook(['BTC-USD'], 1, controller.signal)[Symbol.asyncIterator]();
    const first = messages.next();
    const connection = await feed.connection(1, 2);
    connection.send(
      tickerFrame(1, [
        ticker('NaN', '1', '2', '1.5'),
        ticker('1', '1', '2', '1.5'),
        ticker('BTC-USD', '-1', '2', '68900'),
        ticker('BTC-USD', '68900', '68901', '68900.5'),
      ]),
    );
    const got = [(await first).value as StreamMessage, ...(await take(messages, 1))];
    expect(got.map((m) => [m.product_id, m.best_bid, m.best_ask, m.price])).toEqual([
      ['BTC-USD', undefined, undefined, '68900'],
      ['BTC-USD', '68900', '68901', '68900.5'],
    ]);
    expect(stream.stats()).toEqual({
      unsubscribedFrames: 2,
      unsubscribedByProduct: { NaN: 1, '1': 1 },
      booksWithoutMid: 1,
    });
  });

  it('level 2: a product not subscribed yields nothing and is counted', async () => {
    const { feed, stream, controller } = await setup();
    const messages = stream.streamOrderbook(['BTC-USD'], 2, controller.signal)[Symbol.asyncIterator]();
    const first = messages.next();
    const connection = await feed.connection(1, 2);
    connection.send(
      l2Frame(1, 'snapshot', 'ETH-USD', [
        ['bid', '10', '1'],
        ['offer', '11', '1'],
      ]),
    );
    connection.send(
      l2Frame(2, 'snapshot', 'BTC-USD', [
        ['bid', '100', '1'],
        ['offer', '101', '1'],
      ]),
    );
    const got = (await first).value as StreamMessage;
    expect([got.product_id, got.best_bid, got.best_ask]).toEqual(['BTC-USD', '100', '101']);
    expect(stream.stats().unsubscribedByProduct).toEqual({ 'ETH-USD': 1 });
  });
});
