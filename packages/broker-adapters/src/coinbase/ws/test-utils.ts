import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

interface FeedConnection {
  readonly socket: WebSocket;
  /** Every JSON message the client sent on this connection, in order. */
  readonly received: Array<Record<string, unknown>>;
  send(frame: unknown): void;
  sendRaw(text: string): void;
  closed: { code: number } | null;
}

/** A loopback stand-in for the Coinbase market-data feed: records what clients send, sends what tests say. */
export async function startFeed() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const connections: FeedConnection[] = [];
  server.on('connection', (socket) => {
    const connection: FeedConnection = {
      socket,
      received: [],
      send: (frame) => socket.send(JSON.stringify(frame)),
      sendRaw: (text) => socket.send(text),
      closed: null,
    };
    socket.on('message', (data) => connection.received.push(JSON.parse(String(data)) as Record<string, unknown>));
    socket.on('close', (code) => {
      connection.closed = { code };
    });
    connections.push(connection);
  });
  return {
    url,
    connections,
    /** Waits for the n-th connection (1-based) to have sent at least `messages` messages. */
    async connection(n: number, messages = 0): Promise<FeedConnection> {
      await until(
        () => (connections[n - 1]?.received.length ?? -1) >= messages,
        `connection ${n} with ${messages} messages`,
      );
      return connections[n - 1] as FeedConnection;
    },
    async close(): Promise<void> {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls a condition every few ms; fails with a readable message after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export function tickerFrame(seq: number, tickers: Array<Record<string, string>>, type = 'update') {
  return {
    channel: 'ticker',
    client_id: '',
    timestamp: '2026-04-07T14:30:03.000000Z',
    sequence_num: seq,
    events: [{ type, tickers: tickers.map((t) => ({ type: 'ticker', volume_24_h: '15328.1', ...t })) }],
  };
}

export function ticker(productId: string, bid: string, ask: string, price: string): Record<string, string> {
  return {
    product_id: productId,
    best_bid: bid,
    best_ask: ask,
    price,
    best_bid_quantity: '1.5',
    best_ask_quantity: '0.5',
  };
}

export function heartbeatFrame(seq: number, counter = seq) {
  return {
    channel: 'heartbeats',
    timestamp: '2026-04-07T14:30:10.000000Z',
    sequence_num: seq,
    events: [{ current_time: '2026-04-07 14:30:10.0 +0000 UTC', heartbeat_counter: counter }],
  };
}

export function l2Frame(
  seq: number,
  type: 'snapshot' | 'update',
  productId: string,
  updates: Array<[side: 'bid' | 'offer', price: string, quantity: string]>,
) {
  return {
    channel: 'l2_data',
    timestamp: '2026-04-07T14:30:03.000000Z',
    sequence_num: seq,
    events: [
      {
        type,
        product_id: productId,
        updates: updates.map(([side, price_level, new_quantity]) => ({
          side,
          event_time: '2026-04-07T14:30:03.000000Z',
          price_level,
          new_quantity,
        })),
      },
    ],
  };
}

/** Takes items from an async iterator until `count` arrived. */
export async function take<T>(iterator: AsyncIterator<T>, count: number): Promise<T[]> {
  const out: T[] = [];
  while (out.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}
