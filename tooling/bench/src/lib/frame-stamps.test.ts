import type { MarketDataStreamSource, StreamMessage } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { tapStamps, tickerProducts } from './frame-stamps.js';

const envelope = (products: string[], ns?: string): StreamMessage => ({
  channel: 'ticker',
  sequence_num: 1,
  events: [{ type: 'update', tickers: products.map((product_id) => ({ type: 'ticker', product_id, price: '1' })) }],
  ...(ns ? { sim_sent_mono_ns: ns } : {}),
});

const scripted = (messages: StreamMessage[]): MarketDataStreamSource => ({
  streamOrderbook: () => scripted(messages).streamTrades([]),
  streamTrades: () => ({
    async *[Symbol.asyncIterator]() {
      yield* messages;
    },
  }),
});

describe('frame stamps', () => {
  it('lists the products of a ticker envelope and nothing for other channels', () => {
    expect(tickerProducts(envelope(['A', 'B']))).toEqual(['A', 'B']);
    expect(tickerProducts({ channel: 'heartbeats', events: [{ heartbeat_counter: 1 }] })).toEqual([]);
  });

  it('notes each stamped ticker per product and passes every message through unchanged', async () => {
    const messages = [
      envelope(['A'], '100'),
      { channel: 'heartbeats', events: [] },
      envelope(['B', 'A'], '200'),
      envelope(['A']),
    ];
    const stamps: [string, bigint][] = [];
    const seen: StreamMessage[] = [];
    for await (const m of tapStamps(scripted(messages), (p, ns) => stamps.push([p, ns])).streamTrades(['A', 'B']))
      seen.push(m);
    expect(seen).toEqual(messages);
    expect(stamps).toEqual([
      ['A', 100n],
      ['B', 200n],
      ['A', 200n],
    ]);
  });

  it('notes a ticker flattened out of its envelope (the Coinbase stream source) by its own product', async () => {
    const flat = (product_id: string, ns?: string): StreamMessage => ({
      product_id,
      channel: 'ticker',
      best_bid: '1',
      best_ask: '2',
      ...(ns ? { sim_sent_mono_ns: ns } : {}),
    });
    const stamps: [string, bigint][] = [];
    for await (const _ of tapStamps(scripted([flat('A', '5'), flat('B'), flat('B', '7')]), (p, ns) =>
      stamps.push([p, ns]),
    ).streamOrderbook(['A', 'B'], 1))
      void _;
    expect(stamps).toEqual([
      ['A', 5n],
      ['B', 7n],
    ]);
  });
});
