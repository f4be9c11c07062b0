import { MemoryLogger, type StreamMessage } from '@perps-bot/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createCoinbaseMarketDataStream } from '../factory.js';
import { l2Frame, startFeed, take, ticker, tickerFrame, until } from './test-utils.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const feed = await startFeed();
  cleanups.push(() => feed.close());
  const logger = new MemoryLogger();
  const stream = createCoinbaseMarketDataStream({
    wsUrl: feed.url,
    logger,
    sleep: async () => undefined,
    random: () => 0,
  });
  const controller = new AbortController();
  cleanups.push(async () => controller.abort());
  return { feed, stream, logger, controller };
}

const pick = (m: StreamMessage | undefined, ...keys: string[]) => Object.fromEntries(keys.map((k) => [k, m?.[k]]));

describe('CoinbaseMarketDataStream (MarketDataStreamSource)', () => {
  it('level 1: subscribes to ticker and yields one flat object per ticker', async () => {
    const { feed, stream, controller } = await setup();
    const messages = stream.streamOrderbook(['BTC-USD', 'ETH-USD'], 1, controller.signal)[Symbol.asyncIterator]();
    const first = messages.next();
    const connection = await feed.connection(1, 2);
    expect(connection.received.map((m) => [m.channel, m.product_ids])).toEqual([
      ['ticker', ['BTC-USD', 'ETH-USD']],
      ['heartbeats', undefined],
    ]);
    connection.send(
      tickerFrame(
        7,
        [ticker('BTC-USD', '68900.00', '68901.00', '68900.50'), ticker('ETH-USD', '3000.1', '3000.3', '3000.2')],
        'snapshot',
      ),
    );
    const got = [(await first).value as StreamMessage, ...(await take(messages, 1))];
    expect(
      got.map((m) =>
        pick(m, 'product_id', 'best_bid', 'best_ask', 'price', 'type', 'sequence_num', 'event_type', 'channel'),
      ),
    ).toEqual([
      {
        product_id: 'BTC-USD',
        best_bid: '68900.00',
        best_ask: '68901.00',
        price: '68900.50',
        type: 'ticker',
        sequence_num: 7,
        event_type: 'snapshot',
        channel: 'ticker',
      },
      {
        product_id: 'ETH-USD',
        best_bid: '3000.1',
        best_ask: '3000.3',
        price: '3000.2',
        type: 'ticker',
        sequence_num: 7,
        event_type: 'snapshot',
        channel: 'ticker',
      },
    ]);
    expect(got[0]?.volume_24_h).toBe('15328.1'); // the rest of the ticker passes through untouched
  });

  it('ends the iteration and closes the socket when the signal aborts', async () => {
    const { feed, stream, controller } = await setup();
    const consumed: StreamMessage[] = [];
    const loop = (async () => {
      for await (const message of stream.streamOrderbook(['BTC-USD'], 1, controller.signal)) consumed.push(message);
    })();
    const connection = await feed.connection(1, 2);
    connection.send(tickerFrame(1, [ticker('BTC-USD', '1', '3', '2')]));
    await until(() => consumed.length === 1, 'a message');
    controller.abort();
    await loop;
    await until(() => connection.closed !== null, 'the socket to close');
    expect(connection.closed?.code).toBe(1000);
  });

  it('level 2: keeps a book from l2_data and yields the best bid and ask after each event', async () => {
    const { feed, stream, controller, logger } = await setup();
    const messages = stream.streamOrderbook(['BTC-USD'], 2, controller.signal)[Symbol.asyncIterator]();
    const first = messages.next();
    const connection = await feed.connection(1, 2);
    expect(connection.received[0]).toEqual({ type: 'subscribe', channel: 'level2', product_ids: ['BTC-USD'] });
    connection.send(
      l2Frame(1, 'snapshot', 'BTC-USD', [
        ['bid', '100.0', '1'],
        ['bid', '99', '2'],
        ['offer', '101', '3'],
        ['offer', '102', '1'],
      ]),
    );
    connection.send(
      l2Frame(2, 'update', 'BTC-USD', [
        ['bid', '100', '0'],
        ['offer', '100.5', '4'],
      ]),
    );
    const got = [(await first).value as StreamMessage, ...(await take(messages, 1))];
    expect(
      got.map((m) => pick(m, 'product_id', 'best_bid', 'best_ask', 'best_bid_quantity', 'type', 'sequence_num')),
    ).toEqual([
      {
        product_id: 'BTC-USD',
        best_bid: '100',
        best_ask: '101',
        best_bid_quantity: '1',
        type: 'l2_data',
        sequence_num: 1,
      },
      {
        product_id: 'BTC-USD',
        best_bid: '99',
        best_ask: '100.5',
        best_bid_quantity: '2',
        type: 'l2_data',
        sequence_num: 2,
      },
    ]);

    // A gap drops the book: updates are ignored until the resubscription's fresh snapshot.
    connection.send(l2Frame(9, 'update', 'BTC-USD', [['bid', '99.5', '1']]));
    await feed.connection(1, 4); // unsubscribe + subscribe
    connection.send(l2Frame(10, 'update', 'BTC-USD', [['bid', '99.7', '1']]));
    connection.send(
      l2Frame(11, 'snapshot', 'BTC-USD', [
        ['bid', '98', '1'],
        ['offer', '103', '1'],
      ]),
    );
    const [afterGap] = await take(messages, 1);
    expect(pick(afterGap, 'best_bid', 'best_ask', 'sequence_num')).toEqual({
      best_bid: '98',
      best_ask: '103',
      sequence_num: 11,
    });
    expect(logger.at('warn').some((r) => r.message.includes('sequence gap'))).toBe(true);
  });

  it('level 2: a lagging consumer whose updates were dropped resets its books and waits for a fresh snapshot', async () => {
    const feed = await startFeed();
    cleanups.push(() => feed.close());
    const logger = new MemoryLogger();
    const stream = createCoinbaseMarketDataStream({
      wsUrl: feed.url,
      logger,
      sleep: async () => undefined,
      random: () => 0,
      maxQueue: 2,
    });
    const controller = new AbortController();
    cleanups.push(async () => controller.abort());
    const messages = stream.streamOrderbook(['BTC-USD'], 2, controller.signal)[Symbol.asyncIterator]();
    const first = messages.next();
    const connection = await feed.connection(1, 2);
    connection.send(
      l2Frame(1, 'snapshot', 'BTC-USD', [
        ['bid', '100', '1'],
        ['offer', '101', '1'],
      ]),
    );
    expect(pick((await first).value as StreamMessage, 'best_bid', 'sequence_num')).toEqual({
      best_bid: '100',
      sequence_num: 1,
    });
    // Nobody reads while five updates arrive: the queue keeps two, so updates 2–4 are lost.
    for (let seq = 2; seq <= 6; seq++) connection.send(l2Frame(seq, 'update', 'BTC-USD', [['bid', `100.${seq}`, '1']]));
    await until(() => logger.at('warn').some((r) => r.message.includes('consumer is behind')), 'the drop warning');
    connection.send(
      l2Frame(7, 'snapshot', 'BTC-USD', [
        ['bid', '98', '1'],
        ['offer', '103', '1'],
      ]),
    );
    // Updates 5 and 6 would apply to a book that missed 2–4: they are ignored; the next book is the snapshot's.
    const [next] = await take(messages, 1);
    expect(pick(next, 'best_bid', 'best_ask', 'sequence_num')).toEqual({
      best_bid: '98',
      best_ask: '103',
      sequence_num: 7,
    });
  });

  it('trades: subscribes to market_trades and flattens each trade', async () => {
    const { feed, stream, controller } = await setup();
    const messages = stream.streamTrades(['BTC-USD'], controller.signal)[Symbol.asyncIterator]();
    const first = messages.next();
    const connection = await feed.connection(1, 2);
    expect(connection.received[0]).toMatchObject({ channel: 'market_trades', product_ids: ['BTC-USD'] });
    connection.send({
      channel: 'market_trades',
      timestamp: '2026-04-07T14:30:03.000000Z',
      sequence_num: 0,
      events: [
        {
          type: 'update',
          trades: [
            {
              trade_id: '1',
              product_id: 'BTC-USD',
              price: '68900.5',
              size: '0.1',
              side: 'BUY',
              time: '2026-04-07T14:30:02.9Z',
            },
          ],
        },
      ],
    });
    expect(pick((await first).value as StreamMessage, 'product_id', 'price', 'size', 'type')).toEqual({
      product_id: 'BTC-USD',
      price: '68900.5',
      size: '0.1',
      type: 'market_trades',
    });
  });

  it('also offers the ticker feed as an async iterable of quotes', async () => {
    const { feed, stream, controller } = await setup();
    const quotes = stream.quotes(['BTC-USD'], controller.signal)[Symbol.asyncIterator]();
    const first = quotes.next();
    const connection = await feed.connection(1, 2);
    connection.send(tickerFrame(1, [ticker('BTC-USD', '1.5', '2.5', '2')]));
    const quote = (await first).value;
    expect([quote?.symbol, quote?.bid.toFixed(), quote?.ask.toFixed(), quote?.last.toFixed()]).toEqual([
      'BTC-USD',
      '1.5',
      '2.5',
      '2',
    ]);
    await quotes.return?.(undefined);
    await until(() => connection.closed !== null, 'the socket to close');
  });
});
