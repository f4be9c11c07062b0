import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Decimal, ErrorCodes, ManualClock, OrderOutcomeUnknownError, RequestAbortedError } from '@perps-bot/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createCoinbaseBroker } from '../factory.js';
import { testKey } from '../test-utils.js';

// A real loopback server, real fetch, real sleeps: the only way the promises below settle in time is that the
// stop signal reaches the request or the retry wait. Every exchange-side wait here is a minute, so on code
// where it does not, the test runs into vitest's timeout and fails.
const MINUTE = 60_000;

interface Stalling {
  readonly url: string;
  /** Resolves when the server has received a request (the bytes have left: outcome unknown). */
  readonly received: (n?: number) => Promise<void>;
  readonly close: () => Promise<void>;
}

async function stallingServer(
  answer: (req: IncomingMessage, res: ServerResponse, n: number) => void,
): Promise<Stalling> {
  let count = 0;
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const server: Server = createServer((req, res) => {
    count += 1;
    answer(req, res, count);
    for (const w of waiters.filter((x) => x.n <= count)) w.resolve();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: (n = 1) =>
      count >= n ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ n, resolve })),
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const servers: Stalling[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

function broker(url: string, stop: AbortController) {
  return createCoinbaseBroker({
    apiUrl: url,
    credentials: testKey().credentials,
    clock: new ManualClock('2026-04-07T14:30:00.000Z'),
    timeoutMs: 5 * MINUTE,
    retry: { maxAttempts: 4, baseDelayMs: 5 * MINUTE, maxDelayMs: 5 * MINUTE },
    rateLimit: false,
    stopSignal: stop.signal,
  });
}

describe('the stop signal reaches Coinbase requests (bounded shutdown)', () => {
  it('an order request the exchange never answers ends at once: outcome unknown, caused by REQUEST_ABORTED', async () => {
    const server = await stallingServer(() => {
      /* never answers */
    });
    servers.push(server);
    const stop = new AbortController();
    const placing = broker(server.url, stop).placeOrder({
      symbol: 'BIP-20DEC30-CDE',
      side: 'BUY',
      type: 'MARKET',
      quantity: new Decimal(1),
      clientId: 'pb-test-1',
    });
    const outcome = placing.then(
      () => undefined,
      (error: unknown) => error,
    );
    await server.received();
    stop.abort();
    const error = await outcome;
    expect(error).toBeInstanceOf(OrderOutcomeUnknownError);
    expect(error).toMatchObject({ code: ErrorCodes.ORDER_OUTCOME_UNKNOWN, clientOrderId: 'pb-test-1' });
    const cause = (error as Error).cause;
    expect(cause).toBeInstanceOf(RequestAbortedError);
    expect(cause).toMatchObject({ code: ErrorCodes.REQUEST_ABORTED, mayHaveBeenSent: true, endpoint: 'POST /orders' });
  });

  it('a wait before a retry (5 minutes here) ends at once too', async () => {
    const server = await stallingServer((_req, res) => {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"unavailable"}');
    });
    servers.push(server);
    const stop = new AbortController();
    const outcome = broker(server.url, stop)
      .listPositions()
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    await server.received();
    // the 503 is in; the client now sleeps before its second attempt
    await new Promise((resolve) => setTimeout(resolve, 20));
    stop.abort();
    expect(await outcome).toMatchObject({ code: ErrorCodes.REQUEST_ABORTED });
  });

  it('an order cancelled before anything was sent is not placed (a definite REQUEST_ABORTED, not unknown)', async () => {
    const server = await stallingServer((_req, res) => res.end('{}'));
    servers.push(server);
    const stop = new AbortController();
    stop.abort();
    await expect(
      broker(server.url, stop).placeOrder({
        symbol: 'BIP-20DEC30-CDE',
        side: 'BUY',
        type: 'MARKET',
        quantity: new Decimal(1),
        clientId: 'pb-test-2',
      }),
    ).rejects.toMatchObject({ code: ErrorCodes.REQUEST_ABORTED, mayHaveBeenSent: false });
  });

  it('nothing is sent once the bot is stopping', async () => {
    const server = await stallingServer((_req, res) => res.end('{}'));
    servers.push(server);
    const stop = new AbortController();
    stop.abort();
    await expect(broker(server.url, stop).listPositions()).rejects.toMatchObject({
      code: ErrorCodes.REQUEST_ABORTED,
      mayHaveBeenSent: false,
    });
  });
});
