import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { signTestJwt } from './auth.js';
import { FeedClient, isChannel, startTestSim } from './test-utils.js';

const dec = z.string().regex(/^\d+(\.\d+)?$/);
const envelope = z.object({
  channel: z.string(),
  client_id: z.string(),
  timestamp: z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/),
  sequence_num: z.number().int().nonnegative(),
  events: z.array(z.unknown()),
});
const tickerEvent = z.object({
  type: z.enum(['snapshot', 'update']),
  tickers: z.array(
    z.object({
      type: z.literal('ticker'),
      product_id: z.string(),
      price: dec,
      best_bid: dec,
      best_ask: dec,
      best_bid_quantity: dec,
      best_ask_quantity: dec,
      volume_24_h: dec,
      low_24_h: dec,
      high_24_h: dec,
      price_percent_chg_24_h: z.string(),
    }),
  ),
});
const heartbeatEvent = z.object({ current_time: z.string(), heartbeat_counter: z.number().int() });

const subscribe = (client: FeedClient, channel: string, productIds?: string[]) =>
  client.send({ type: 'subscribe', channel, ...(productIds ? { product_ids: productIds } : {}) });

describe('WebSocket market feed', () => {
  it('acks a subscription, sends a ticker snapshot, then an update on every market step', async () => {
    const sim = await startTestSim();
    const client = await FeedClient.connect(sim);
    subscribe(client, 'ticker', ['BTC-PERP-INTX', 'BIP-20DEC30-CDE']);
    const ack = envelope.parse(await client.next(isChannel('subscriptions')));
    expect(ack.events).toEqual([{ subscriptions: { ticker: ['BTC-PERP-INTX', 'BIP-20DEC30-CDE'] } }]);
    const snapshot = tickerEvent.parse(envelope.parse(await client.next(isChannel('ticker'))).events[0]);
    expect(snapshot.type).toBe('snapshot');
    expect(snapshot.tickers.map((t) => t.product_id)).toEqual(['BTC-PERP-INTX', 'BIP-20DEC30-CDE']);

    sim.advance(3);
    const frames = await client.count(isChannel('ticker'), 4);
    const last = tickerEvent.parse(envelope.parse(frames[3]).events[0]);
    expect(last.type).toBe('update');
    const btc = last.tickers.find((t) => t.product_id === 'BTC-PERP-INTX');
    expect(btc?.price).toBe(sim.quote('BTC-PERP-INTX')?.price.toFixed());
    expect(Number(btc?.best_bid)).toBeLessThan(Number(btc?.best_ask));
  });

  it('numbers every message on a connection with a consecutive sequence_num from 0', async () => {
    const sim = await startTestSim({ heartbeatIntervalMs: 10 });
    const client = await FeedClient.connect(sim);
    subscribe(client, 'heartbeats');
    subscribe(client, 'ticker', ['BTC-USD']);
    sim.advance(5);
    await client.count(() => true, 12);
    const seqs = client.frames.map((f) => envelope.parse(f).sequence_num);
    expect(seqs.slice(0, 12)).toEqual([...Array(12).keys()]);
  });

  it('sends heartbeats at the configured interval with an increasing counter', async () => {
    const sim = await startTestSim({ heartbeatIntervalMs: 15 });
    const client = await FeedClient.connect(sim);
    subscribe(client, 'heartbeats');
    const beats = (await client.count(isChannel('heartbeats'), 4)).map((f) =>
      heartbeatEvent.parse(envelope.parse(f).events[0]),
    );
    expect(beats.map((b) => b.heartbeat_counter)).toEqual([1, 2, 3, 4]);
    expect(beats[0]?.current_time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \+0000 UTC$/);
  });

  it('answers level2 on the l2_data channel with bid/offer updates', async () => {
    const sim = await startTestSim();
    const client = await FeedClient.connect(sim);
    subscribe(client, 'level2', ['ETP-20DEC30-CDE']);
    const snap = envelope.parse(await client.next(isChannel('l2_data')));
    const event = z
      .object({
        type: z.literal('snapshot'),
        product_id: z.string(),
        updates: z.array(
          z.object({ side: z.enum(['bid', 'offer']), event_time: z.string(), price_level: dec, new_quantity: dec }),
        ),
      })
      .parse(snap.events[0]);
    expect(event.updates.map((u) => u.side)).toEqual(['bid', 'offer']);
    expect(event.updates[0]?.price_level).toBe(sim.quote('ETP-20DEC30-CDE')?.bid.toFixed());
  });

  it('closes a connection that does not subscribe within the timeout', async () => {
    const sim = await startTestSim({ subscribeTimeoutMs: 50 });
    const client = await FeedClient.connect(sim);
    await client.untilClosed();
    expect(client.closeCode).toBe(1008);
    expect(client.frames[0]).toMatchObject({ type: 'error', message: expect.stringContaining('no subscription') });
    expect(sim.stats().faults.ws_subscribe_timeout).toBe(1);
  });

  it('refuses a subscribe without one channel, with an unknown product, or with a bad jwt', async () => {
    const sim = await startTestSim();
    const client = await FeedClient.connect(sim);
    client.send({ type: 'subscribe', channels: ['ticker'], product_ids: ['BTC-USD'] });
    client.send({ type: 'subscribe', channel: 'ticker', product_ids: ['NOPE-PERP-INTX'] });
    client.send({ type: 'subscribe', channel: 'ticker', product_ids: ['BTC-USD'], jwt: 'garbage' });
    const errors = await client.count((f) => f.type === 'error', 3);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/one channel/),
      expect.stringMatching(/unknown product/),
      expect.stringMatching(/authentication failure/),
    ]);
    expect(client.frames.some((f) => (f as { channel?: string }).channel === 'subscriptions')).toBe(false);
  });

  it('accepts a subscribe carrying a valid jwt (no uri claim)', async () => {
    const sim = await startTestSim();
    const client = await FeedClient.connect(sim);
    client.send({
      type: 'subscribe',
      channel: 'ticker',
      product_ids: ['BTC-USD'],
      jwt: await signTestJwt(sim.credentials!),
    });
    await client.next(isChannel('subscriptions'));
  });

  it('unsubscribes: no more updates for that product', async () => {
    const sim = await startTestSim();
    const client = await FeedClient.connect(sim);
    subscribe(client, 'ticker', ['BTC-USD']);
    await client.next(isChannel('ticker'));
    client.send({ type: 'unsubscribe', channel: 'ticker', product_ids: ['BTC-USD'] });
    await client.count(isChannel('subscriptions'), 2);
    sim.advance(3);
    subscribe(client, 'ticker', ['ETH-USD']);
    await client.count(isChannel('subscriptions'), 3);
    await client.next((f) => f.channel === 'ticker' && JSON.stringify(f).includes('ETH-USD'));
    const btc = client.frames.filter(
      (f) => (f as { channel?: string }).channel === 'ticker' && JSON.stringify(f).includes('BTC-USD'),
    );
    // Only the snapshot: the three steps after the unsubscribe sent nothing for BTC-USD.
    expect(btc).toHaveLength(1);
    expect(btc[0]).toMatchObject({ events: [{ type: 'snapshot' }] });
  });

  it('handles a connection’s messages in order, even while a JWT is being checked', async () => {
    const sim = await startTestSim();
    const client = await FeedClient.connect(sim);
    // The subscribe waits for its JWT check; the unsubscribe right behind it has none to wait for. Handled out
    // of order, the connection would end up subscribed (a client's resubscribe after a gap lost its ticker).
    client.send({
      type: 'subscribe',
      channel: 'ticker',
      product_ids: ['BTC-USD'],
      jwt: await signTestJwt(sim.credentials!),
    });
    client.send({ type: 'unsubscribe', channel: 'ticker', product_ids: ['BTC-USD'] });
    const acks = await client.count(isChannel('subscriptions'), 2);
    expect(acks.map((f) => (f as { events: unknown[] }).events[0])).toEqual([
      { subscriptions: { ticker: ['BTC-USD'] } },
      { subscriptions: { ticker: [] } },
    ]);
    sim.advance(2);
    subscribe(client, 'heartbeats');
    await client.count(isChannel('subscriptions'), 3);
    expect(client.frames.filter((f) => JSON.stringify(f).includes('"update"'))).toEqual([]);
  });
});

describe('WebSocket frame stamps (stampFrames, for benchmarks)', () => {
  it('stamps the envelope and each ticker in it with the same monotonic send time', async () => {
    const sim = await startTestSim({ stampFrames: true });
    const client = await FeedClient.connect(sim);
    subscribe(client, 'ticker', ['BTC-USD', 'ETH-USD']);
    const frame = (await client.next(isChannel('ticker'))) as {
      sim_sent_mono_ns: string;
      events: { tickers: { sim_sent_mono_ns: string }[] }[];
    };
    expect(frame.sim_sent_mono_ns).toMatch(/^\d+$/);
    expect(frame.events[0]?.tickers.map((t) => t.sim_sent_mono_ns)).toEqual([
      frame.sim_sent_mono_ns,
      frame.sim_sent_mono_ns,
    ]);
  });
});

describe('WebSocket faults', () => {
  it('skips sequence numbers on injected gaps and records each one', async () => {
    const sim = await startTestSim({ seed: 4, faults: { ws: { gapRate: 0.3 } } });
    const client = await FeedClient.connect(sim);
    subscribe(client, 'ticker', ['BTC-USD']);
    await client.next(isChannel('subscriptions'));
    sim.advance(40);
    const gaps = () => sim.stats().faults.ws_gap;
    await client.count(isChannel('ticker'), 41 - gaps());
    const seqs = client.frames.map((f) => envelope.parse(f).sequence_num);
    const missing = [...Array(42).keys()].filter((n) => !seqs.includes(n));
    expect(missing.length).toBeGreaterThan(0);
    expect(missing).toEqual(
      sim
        .stats()
        .faultLog.filter((f) => f.kind === 'ws_gap')
        .map((f) => f.sequenceNum),
    );
  });

  it('drops a connection after N messages, without a close frame', async () => {
    const sim = await startTestSim({ faults: { ws: { dropAfterMessages: 3 } } });
    const client = await FeedClient.connect(sim);
    subscribe(client, 'ticker', ['BTC-USD']);
    await client.next(isChannel('subscriptions'));
    sim.advance(10);
    await client.untilClosed();
    expect(client.frames).toHaveLength(3);
    expect(client.closeCode).toBe(1006);
    expect(sim.stats().faults.ws_drop).toBe(1);
    expect(sim.stats().ws.open).toBe(0);
  });

  it('drops connections at a seeded rate and sends garbage frames', async () => {
    const sim = await startTestSim({ faults: { ws: { malformedRate: 0.5 } } });
    const client = await FeedClient.connect(sim);
    subscribe(client, 'ticker', ['BTC-USD']);
    await client.next(isChannel('subscriptions'));
    sim.advance(20);
    await client.count(() => true, 21 + 1);
    const garbage = client.frames.filter((f) => 'unparsable' in (f as object));
    expect(garbage.length).toBe(sim.stats().faults.ws_malformed);
    expect(garbage.length).toBeGreaterThan(0);

    const dropping = await startTestSim({ faults: { ws: { dropRate: 1 } } });
    const victim = await FeedClient.connect(dropping);
    subscribe(victim, 'ticker', ['BTC-USD']);
    await victim.untilClosed();
    // The ack is not a data message; the first ticker frame is sent, then the connection is cut.
    expect(victim.frames.map((f) => (f as { channel: string }).channel)).toEqual(['subscriptions', 'ticker']);
  });

  it('pumps ticker frames as fast as the socket drains', async () => {
    const sim = await startTestSim();
    const client = await FeedClient.connect(sim);
    subscribe(client, 'ticker', ['BTC-USD', 'ETH-USD']);
    await client.next(isChannel('ticker'));
    expect(await sim.pump({ count: 500 })).toBe(500);
    const frames = await client.count(isChannel('ticker'), 501);
    expect(frames.slice(1).map((f) => tickerEvent.parse(envelope.parse(f).events[0]).tickers[0]?.product_id)).toEqual(
      Array.from({ length: 500 }, (_, i) => (i % 2 === 0 ? 'BTC-USD' : 'ETH-USD')),
    );
  });
});
