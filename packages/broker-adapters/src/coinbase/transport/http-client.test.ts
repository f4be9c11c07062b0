import { jwtVerify, decodeProtectedHeader } from 'jose';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CoinbaseAuthError,
  CoinbaseMalformedResponseError,
  CoinbaseNetworkError,
  CoinbaseNotFoundError,
  CoinbaseRateLimitError,
  CoinbaseTimeoutError,
  CoinbaseValidationError,
  CoinbaseExchangeError,
} from '../errors.js';
import { API_ORIGIN, BASE, START, caught, expectNoSecrets, fixture, harness, serialiseError } from '../test-utils.js';

const api = () => nock(API_ORIGIN);
const timedOut = () => AbortSignal.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Coinbase transport: authentication', () => {
  it('signs each private request with a JWT whose uri names method, host and path without the query', async () => {
    const h = harness();
    const tokens: string[] = [];
    api()
      .get(`${BASE}/accounts`)
      .query({ limit: '250' })
      .reply(function () {
        tokens.push(String(this.req.headers.authorization));
        return [200, fixture('accounts-page1')];
      })
      .get(`${BASE}/accounts`)
      .query({ limit: '250', cursor: 'page-2' })
      .reply(function () {
        tokens.push(String(this.req.headers.authorization));
        return [200, fixture('accounts-page2')];
      });

    await h.broker.listBalances();
    expect(tokens).toHaveLength(2);
    const [first, second] = tokens.map((t) => t.replace(/^Bearer /, ''));
    expect(first).not.toEqual(second); // a new token per request
    const { payload } = await jwtVerify(first as string, h.key.publicKey, { currentDate: new Date(START) });
    expect(payload).toMatchObject({
      iss: 'cdp',
      sub: h.key.credentials.keyName,
      uri: 'GET api.coinbase.com/api/v3/brokerage/accounts',
      nbf: Date.parse(START) / 1000,
      exp: Date.parse(START) / 1000 + 120,
    });
    expect(decodeProtectedHeader(first as string)).toMatchObject({
      alg: 'ES256',
      kid: h.key.credentials.keyName,
      typ: 'JWT',
    });
  });

  it('uses the public /market twins, unsigned, when there are no credentials', async () => {
    const h = harness({ keyType: 'none' });
    let authorization: unknown = 'unset';
    api()
      .get(`${BASE}/market/products/BTC-USD/ticker`)
      .query({ limit: '1' })
      .reply(function () {
        authorization = this.req.headers.authorization;
        return [200, { ...fixture('ticker'), trades: [] }];
      });
    const quote = await h.broker.getQuote('BTC-USD');
    expect(authorization).toBeUndefined();
    expect(quote?.last.toFixed()).toBe('68930'); // no trade: the mid of 68925 / 68935
    await expect(h.broker.listBalances()).rejects.toThrow(/credentials are required for GET \/accounts/);
  });

  it.each([
    [401, 'error-401'],
    [403, 'error-403'],
  ])('turns %i into AUTH_FAILED with the request ids, no retry, and no secret anywhere', async (status, body) => {
    const h = harness();
    let token = '';
    api()
      .get(`${BASE}/cfm/positions`)
      .reply(function () {
        token = String(this.req.headers.authorization).replace(/^Bearer /, '');
        return [status, fixture(body), { 'x-request-id': 'req-123', 'cf-ray': '8f00aa-IAD' }];
      });
    const error = await caught(h.broker.listPositions());
    expect(error).toBeInstanceOf(CoinbaseAuthError);
    expect(error).toMatchObject({
      code: 'AUTH_FAILED',
      status,
      path: `${BASE}/cfm/positions`,
      requestId: 'req-123',
      cfRay: '8f00aa-IAD',
    });
    expect(h.sleeps).toEqual([]);
    expect(token.length).toBeGreaterThan(100);
    const secrets = [...h.key.secrets, token];
    expectNoSecrets(serialiseError(error), secrets);
    expectNoSecrets(JSON.stringify(h.logger.records), secrets);
  });
});

describe('Coinbase transport: error mapping', () => {
  it('maps 404 to NOT_FOUND (and getOrder to null), 400 to VALIDATION without retrying', async () => {
    const h = harness();
    api()
      .get(`${BASE}/products/NOPE-USD`)
      .reply(404, fixture('error-404'), { 'x-request-id': 'r-404' })
      .get(`${BASE}/orders/historical/missing`)
      .reply(404, fixture('error-404'))
      .get(`${BASE}/products/BAD`)
      .reply(400, fixture('error-400'));
    const notFound = await caught(h.broker.getProduct('NOPE-USD'));
    expect(notFound).toBeInstanceOf(CoinbaseNotFoundError);
    expect(notFound).toMatchObject({ code: 'NOT_FOUND', status: 404, requestId: 'r-404', exchangeCode: 'NOT_FOUND' });
    await expect(h.broker.getOrder('missing')).resolves.toBeNull();
    const invalid = await caught(h.broker.getProduct('BAD'));
    expect(invalid).toBeInstanceOf(CoinbaseValidationError);
    expect((invalid as Error).message).toContain('INVALID_ARGUMENT: product_id is invalid');
    expect(h.sleeps).toEqual([]);
  });

  it('names the endpoint and the first bad field of a malformed answer', async () => {
    const h = harness();
    const products = fixture<{ products: Array<Record<string, unknown>> }>('products');
    delete products.products[2]?.base_increment;
    const badPrice = fixture<{ best_bid: string }>('ticker');
    badPrice.best_bid = 'sixty-eight thousand';
    api()
      .get(`${BASE}/products`)
      .reply(200, products)
      .get(`${BASE}/products/BIP-20DEC30-CDE/ticker`)
      .query(true)
      .reply(200, badPrice)
      .get(`${BASE}/cfm/positions`)
      .reply(200, '{"positions": [', { 'content-type': 'application/json' })
      .get(`${BASE}/cfm/balance_summary`)
      .reply(200, {});

    const missing = await caught(h.broker.listProducts());
    expect(missing).toBeInstanceOf(CoinbaseMalformedResponseError);
    expect(missing).toMatchObject({
      code: 'MALFORMED_RESPONSE',
      endpoint: 'GET /products',
      field: 'products.2.base_increment',
    });
    expect((missing as Error).message).toBe(
      'Malformed response from GET /products: field "products.2.base_increment" is missing',
    );

    const bad = await caught(h.broker.getQuote('BIP-20DEC30-CDE'));
    expect(bad).toMatchObject({ field: 'best_bid', endpoint: 'GET /products/{product_id}/ticker' });
    expect((bad as Error).message).toContain('is not a decimal');

    const notJson = await caught(h.broker.listPositions());
    expect(notJson).toMatchObject({
      code: 'MALFORMED_RESPONSE',
      field: '',
      endpoint: 'GET /cfm/positions',
      status: 200,
    });

    const empty = await caught(h.broker.rest.getCfmBalanceSummary());
    expect(empty).toMatchObject({ code: 'MALFORMED_RESPONSE', field: 'balance_summary' });
    expect(h.sleeps).toEqual([]); // a malformed answer is not retried
    // …and each one is reported once: by the transport (not JSON) or by the REST client (wrong shape).
    expect(h.logger.at('warn').map((r) => r.fields.endpoint)).toEqual([
      'GET /products',
      'GET /products/{product_id}/ticker',
      'GET /cfm/positions',
      'GET /cfm/balance_summary',
    ]);
    expect(h.logger.at('warn').map((r) => r.message.endsWith('; not retried'))).toEqual([true, true, true, true]);
  });
});

describe('Coinbase transport: retries', () => {
  it('honours Retry-After in seconds, then succeeds', async () => {
    const h = harness();
    api()
      .get(`${BASE}/cfm/positions`)
      .reply(429, fixture('error-429'), { 'Retry-After': '2' })
      .get(`${BASE}/cfm/positions`)
      .reply(200, fixture('cfm-positions'));
    const positions = await h.broker.listPositions();
    expect(positions.map((p) => p.symbol)).toEqual(['BIP-20DEC30-CDE', 'BIT-24APR26-CDE']);
    expect(h.sleeps).toEqual([2_000]);
    expect(h.logger.at('warn').map((r) => r.message)).toEqual([
      'Coinbase GET /cfm/positions failed (attempt 1 of 4): Coinbase rate limit hit on GET /api/v3/brokerage/cfm/positions; retry after 2000 ms (rate_limit_exceeded: Too many requests); retrying in 2000 ms',
    ]);
    expect(h.logger.at('warn')[0]?.fields).toMatchObject({
      endpoint: 'GET /cfm/positions',
      code: 'RATE_LIMITED',
      status: 429,
      retryInMs: 2000,
    });
  });

  it('honours Retry-After as an HTTP date', async () => {
    const h = harness();
    api()
      .get(`${BASE}/cfm/positions`)
      .reply(429, fixture('error-429'), { 'Retry-After': 'Tue, 07 Apr 2026 14:30:05 GMT' })
      .get(`${BASE}/cfm/positions`)
      .reply(200, { positions: [] });
    await h.broker.listPositions();
    expect(h.sleeps).toEqual([5_000]);
  });

  it('gives up after maxAttempts with RATE_LIMITED carrying retryAfterMs', async () => {
    const h = harness({ retry: { maxAttempts: 3 } });
    const scope = api().get(`${BASE}/cfm/positions`).times(3).reply(429, fixture('error-429'), { 'Retry-After': '1' });
    const error = await caught(h.broker.listPositions());
    expect(error).toBeInstanceOf(CoinbaseRateLimitError);
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 1_000, status: 429 });
    expect(h.sleeps).toEqual([1_000, 1_000]);
    expect(scope.isDone()).toBe(true);
    // One record per failed attempt: two retries, then the last one says it gave up.
    expect(h.logger.at('warn').map((r) => r.message.replace(/^.*; /, ''))).toEqual([
      'retrying in 1000 ms',
      'retrying in 1000 ms',
      'giving up',
    ]);
  });

  it('does not wait out a Retry-After longer than maxRetryAfterMs', async () => {
    const h = harness({ retry: { maxRetryAfterMs: 10_000 } });
    api().get(`${BASE}/cfm/positions`).reply(429, fixture('error-429'), { 'Retry-After': '3600' });
    const error = await caught(h.broker.listPositions());
    expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 3_600_000 });
    expect(h.sleeps).toEqual([]);
  });

  it('retries a 500 with exponential backoff and jitter, then succeeds', async () => {
    const h = harness({ retry: { baseDelayMs: 100 } });
    api()
      .get(`${BASE}/orders/historical/fills`)
      .query(true)
      .times(2)
      .reply(500, fixture('error-500'))
      .get(`${BASE}/orders/historical/fills`)
      .query(true)
      .reply(200, fixture('fills'));
    const fills = await h.broker.listFills('BTC-PERP-INTX');
    expect(fills).toHaveLength(1);
    // random() = 0.5 → 75% of 100·2^(n-1)
    expect(h.sleeps).toEqual([75, 150]);
  });

  it('reports a persistent 5xx as EXCHANGE after the last attempt', async () => {
    const h = harness({ retry: { maxAttempts: 2 } });
    api().get(`${BASE}/orders/historical/fills`).query(true).times(2).reply(503, 'upstream down');
    const error = await caught(h.broker.listFills());
    expect(error).toBeInstanceOf(CoinbaseExchangeError);
    expect(error).toMatchObject({ code: 'EXCHANGE', status: 503 });
  });

  it('never retries a cancel (no idempotency key), but retries an order POST with its client order id', async () => {
    const h = harness();
    api().post(`${BASE}/orders/batch_cancel`).reply(503, fixture('error-500'));
    await expect(h.broker.cancelOrder('abc')).rejects.toMatchObject({ code: 'EXCHANGE', status: 503 });
    expect(h.sleeps).toEqual([]);

    const bodies: Array<Record<string, unknown>> = [];
    api()
      .post(`${BASE}/orders`, (body: Record<string, unknown>) => bodies.push(body) > 0)
      .reply(502, 'bad gateway')
      .post(`${BASE}/orders`, (body: Record<string, unknown>) => bodies.push(body) > 0)
      .reply(200, fixture('create-order-success'));
    const { Decimal } = await import('@perps-bot/core');
    const order = await h.broker.placeOrder({
      symbol: 'BIP-20DEC30-CDE',
      side: 'BUY',
      type: 'MARKET',
      quantity: new Decimal(2),
    });
    expect(order.id).toBe('11111111-2222-4333-8444-555555555555');
    expect(bodies).toHaveLength(2);
    expect(bodies[0]?.client_order_id).toEqual(bodies[1]?.client_order_id);
    expect(String(bodies[0]?.client_order_id)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('turns a timed-out attempt into TIMEOUT and retries it', async () => {
    // The first attempt's timeout has already fired; the second has all the time it needs.
    const signals = [timedOut(), AbortSignal.timeout(60_000)];
    const h = harness({
      timeoutMs: 250,
      retry: { maxAttempts: 2 },
      timeoutSignal: () => signals.shift() ?? timedOut(),
    });
    api().get(`${BASE}/cfm/positions`).reply(200, fixture('cfm-positions'));
    await expect(h.broker.listPositions()).resolves.toHaveLength(2);
    expect(h.sleeps).toHaveLength(1);
    expect(h.logger.at('warn')[0]?.fields).toMatchObject({ code: 'TIMEOUT' });
  });

  it('times out a slow answer for real with the per-request timeout', async () => {
    // Safe whatever the machine's load: the 30 ms timer always fires long before the 5 s reply.
    const h = harness({ timeoutMs: 30, retry: { maxAttempts: 1 } });
    api().get(`${BASE}/cfm/positions`).delay(5_000).reply(200, { positions: [] });
    const error = await caught(h.broker.listPositions());
    expect(error).toBeInstanceOf(CoinbaseTimeoutError);
    expect(error).toMatchObject({ code: 'TIMEOUT', timeoutMs: 30, path: `${BASE}/cfm/positions` });
    expect((error as Error).message).toBe('Coinbase did not answer GET /cfm/positions within 30 ms');
  });

  it('maps a connection failure to NETWORK and retries it', async () => {
    const h = harness({ retry: { maxAttempts: 2 } });
    api().get(`${BASE}/cfm/positions`).times(2).replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const error = await caught(h.broker.listPositions());
    expect(error).toBeInstanceOf(CoinbaseNetworkError);
    expect(error).toMatchObject({ code: 'NETWORK', path: `${BASE}/cfm/positions` });
    expect(h.sleeps).toHaveLength(1);
    expectNoSecrets(serialiseError(error), h.key.secrets);
  });
});

describe('Coinbase transport: client-side rate limit', () => {
  it('paces public calls at 10/s without touching the network any faster', async () => {
    const h = harness({ keyType: 'none' });
    api().get(`${BASE}/time`).times(15).reply(200, fixture('server-time'));
    const start = h.clock.now().getTime();
    for (let i = 0; i < 15; i++) await h.broker.rest.getServerTime();
    // 10 in the first burst, 5 more at 100 ms each.
    expect(h.clock.now().getTime() - start).toBeGreaterThanOrEqual(500);
    expect(h.sleeps.length).toBeGreaterThanOrEqual(5);
  });

  it('can be switched off', async () => {
    const h = harness({ keyType: 'none', rateLimit: false });
    api().get(`${BASE}/time`).times(15).reply(200, fixture('server-time'));
    for (let i = 0; i < 15; i++) await h.broker.rest.getServerTime();
    expect(h.sleeps).toEqual([]);
  });
});
