// The simulator's feed over a real socket (test-utils' FeedClient on `ws`): the channels beyond ticker/level2.
import { describe, expect, it } from 'vitest';
import { FeedClient, call, isChannel, startTestSim } from './test-utils.js';

const BIP = 'BIP-20DEC30-CDE';
type Frame = { channel: string; events: Array<Record<string, unknown>> };
const subscribe = (client: FeedClient, channel: string, productIds?: string[]) =>
  client.send({ type: 'subscribe', channel, ...(productIds ? { product_ids: productIds } : {}) });

describe('WebSocket channels beyond ticker and level2', () => {
  it('ticker_batch: tickers without best bid/ask, snapshot then an update per step', async () => {
    const sim = await startTestSim({ products: [BIP] });
    const client = await FeedClient.connect(sim);
    subscribe(client, 'ticker_batch', [BIP]);
    const snapshot = (await client.next(isChannel('ticker_batch'))) as Frame;
    const [ticker] = snapshot.events[0]?.tickers as Array<Record<string, unknown>>;
    expect(ticker).toMatchObject({ product_id: BIP, price: sim.quote(BIP)?.price.toFixed() });
    expect(Object.keys(ticker ?? {}).filter((k) => k.startsWith('best_'))).toEqual([]);
    sim.advance(1);
    const frames = (await client.count(isChannel('ticker_batch'), 2)) as Frame[];
    expect(frames[1]?.events[0]?.type).toBe('update');
  });

  it('candles and status: the SDK shapes', async () => {
    const sim = await startTestSim({ products: [BIP, 'BTC-USD'] });
    const client = await FeedClient.connect(sim);
    subscribe(client, 'candles', [BIP]);
    subscribe(client, 'status');
    const candle = ((await client.next(isChannel('candles'))) as Frame).events[0]?.candles as Array<
      Record<string, unknown>
    >;
    expect(Object.keys(candle[0] ?? {}).sort()).toEqual([
      'close',
      'high',
      'low',
      'open',
      'product_id',
      'start',
      'volume',
    ]);
    const status = ((await client.next(isChannel('status'))) as Frame).events[0]?.products as Array<
      Record<string, unknown>
    >;
    expect(status.map((p) => [p.id, p.product_type, p.status])).toEqual([
      [BIP, 'FUTURE', 'online'],
      ['BTC-USD', 'SPOT', 'online'],
    ]);
  });

  it('user: a snapshot of the key’s orders, then an update when one of them fills', async () => {
    const sim = await startTestSim({ products: [BIP] });
    const client = await FeedClient.connect(sim);
    subscribe(client, 'user');
    const snapshot = (await client.next(isChannel('user'))) as Frame;
    expect(snapshot.events[0]).toMatchObject({ type: 'snapshot', orders: [] });
    const placed = await call(sim, 'POST', '/orders', {
      body: {
        client_order_id: 'u-1',
        product_id: BIP,
        side: 'BUY',
        order_configuration: { market_market_ioc: { base_size: '1' } },
      },
    });
    expect(placed.status).toBe(200);
    sim.advance(1);
    const update = (await client.next(
      (f) => isChannel('user')(f) && (f as Frame).events[0]?.type === 'update',
    )) as Frame;
    const [order] = update.events[0]?.orders as Array<Record<string, unknown>>;
    expect(order).toMatchObject({
      client_order_id: 'u-1',
      order_side: 'BUY',
      order_type: 'Market',
      status: 'FILLED',
      product_id: BIP,
    });
  });

  it('futures_balance_summary: the CFM balance with amounts as plain strings', async () => {
    const sim = await startTestSim({ products: [BIP] });
    const client = await FeedClient.connect(sim);
    subscribe(client, 'futures_balance_summary');
    const frame = (await client.next(isChannel('futures_balance_summary'))) as Frame;
    const summary = frame.events[0]?.fcm_balance_summary as Record<string, unknown>;
    expect(typeof summary.futures_buying_power).toBe('string');
    expect(typeof summary.available_margin).toBe('string');
  });
});
