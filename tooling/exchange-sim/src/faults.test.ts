import { describe, expect, it } from 'vitest';
import { planRestFaults } from './http/faults.js';
import { call, startTestSim } from './test-utils.js';

const statuses = async (sim: Awaited<ReturnType<typeof startTestSim>>, n: number): Promise<number[]> => {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await call(sim, 'GET', '/best_bid_ask?product_ids=BTC-USD')).status);
  return out;
};

describe('REST fault injection', () => {
  it('answers 429 with Retry-After and the error body on every request at rate 1', async () => {
    const sim = await startTestSim({ faults: { rest: { rate429: 1, retryAfterSeconds: 7 } } });
    for (let i = 0; i < 3; i++) {
      const res = await call(sim, 'GET', '/products/BTC-USD');
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('7');
      expect(res.json).toMatchObject({ error: 'rate_limit_exceeded', message: expect.any(String) });
    }
    expect(sim.stats().faults.http_429).toBe(3);
  });

  it('injects 429s at about the configured rate, the same ones for the same seed, others for another seed', async () => {
    const n = 200;
    const sims = await Promise.all(
      [5, 5, 6].map((seed) => startTestSim({ seed, auth: false, faults: { rest: { rate429: 0.3 } } })),
    );
    const [a = [], b, c] = await Promise.all(sims.map((sim) => statuses(sim, n)));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const hits = a.filter((s) => s === 429).length;
    // Binomial(200, 0.3): mean 60, sd 6.5. The draw is seeded, so this bound can only fail if the rate is wrong.
    expect(hits).toBeGreaterThan(30);
    expect(hits).toBeLessThan(90);
    expect(a.filter((s) => s !== 429).every((s) => s === 200)).toBe(true);
  });

  it('records every injected fault once, with its route and request number', async () => {
    const sim = await startTestSim({ seed: 11, faults: { rest: { rate429: 0.2, rate5xx: 0.2, rateMalformed: 0.2 } } });
    const results = await statuses(sim, 60);
    const stats = sim.stats();
    const log = stats.faultLog.filter((f) => f.route === 'best_bid_ask');
    expect(log).toHaveLength(stats.faults.http_429 + stats.faults.http_5xx + stats.faults.malformed_body);
    expect(new Set(log.map((f) => f.requestNo)).size).toBe(log.length);
    for (const f of log) {
      const status = results[(f.requestNo as number) - 1];
      expect(status).toBe(f.kind === 'http_429' ? 429 : f.kind === 'http_5xx' ? 500 : 200);
    }
    expect(planRestFaults(11, { rate429: 0.2, rate5xx: 0.2, rateMalformed: 0.2 }, 'best_bid_ask', 1, 'GET')).toEqual(
      planRestFaults(11, { rate429: 0.2, rate5xx: 0.2, rateMalformed: 0.2 }, 'best_bid_ask', 1, 'GET'),
    );
  });

  it('sends the configured 5xx status', async () => {
    const sim = await startTestSim({ faults: { rest: { rate5xx: 1, status5xx: 503 } } });
    const res = await call(sim, 'GET', '/accounts');
    expect(res.status).toBe(503);
    expect(res.json).toMatchObject({ error: 'UNAVAILABLE' });
  });

  it('sends malformed 200 bodies: cut-short JSON or the wrong shape', async () => {
    const sim = await startTestSim({ faults: { rest: { rateMalformed: 1 } } });
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const res = await call(sim, 'GET', '/best_bid_ask?product_ids=BTC-USD');
      expect(res.status).toBe(200);
      if (res.json === undefined) seen.add('truncated');
      else {
        expect(res.json).not.toHaveProperty('pricebooks');
        seen.add('shape');
      }
    }
    expect(seen).toEqual(new Set(['truncated', 'shape']));
    expect(sim.stats().faults.malformed_body).toBe(12);
  });

  it('hangs a request past the client timeout, then cuts the connection', async () => {
    const sim = await startTestSim({ faults: { rest: { rateTimeout: 1, timeoutMs: 100 } } });
    await expect(call(sim, 'GET', '/accounts')).rejects.toThrow();
    expect(sim.stats().faults.timeout).toBe(1);
  });

  it('loses the answer of an order it did place; the retry with the same client_order_id gets that order', async () => {
    const sim = await startTestSim({ faults: { rest: { rateLostResponse: 1, routes: ['orders.create'] } } });
    const body = {
      client_order_id: 'lost-1',
      product_id: 'BTC-PERP-INTX',
      side: 'BUY',
      order_configuration: { market_market_ioc: { base_size: '0.01' } },
    };
    const lost = await call(sim, 'POST', '/orders', { body });
    expect(lost.status).toBe(503);
    expect(sim.stats().orders).toBe(1);
    sim.setFaults({ rest: {} });
    const retry = await call(sim, 'POST', '/orders', { body });
    expect(retry.status).toBe(200);
    const orderId = (retry.json as { success_response: { order_id: string } }).success_response.order_id;
    expect((await call(sim, 'GET', `/orders/historical/${orderId}`)).status).toBe(200);
    expect(sim.stats().orders).toBe(1);
  });

  it('limits faults to the routes named', async () => {
    const sim = await startTestSim({ faults: { rest: { rate5xx: 1, routes: ['accounts'] } } });
    expect((await call(sim, 'GET', '/accounts')).status).toBe(500);
    expect((await call(sim, 'GET', '/products/BTC-USD')).status).toBe(200);
    expect((await call(sim, 'GET', '/time')).status).toBe(200);
  });

  it('adds the configured latency per route', async () => {
    const sim = await startTestSim({ latencyMs: { best_bid_ask: 80, '*': 0 } });
    const started = performance.now();
    await call(sim, 'GET', '/best_bid_ask?product_ids=BTC-USD');
    // Only a lower bound: a timer never fires early by more than a millisecond.
    expect(performance.now() - started).toBeGreaterThanOrEqual(78);
  });

  it('enforces a token bucket like the exchange limit, with x-ratelimit headers and Retry-After', async () => {
    const sim = await startTestSim({ rateLimit: { perSecond: 0.01, burst: 2 } });
    const [a, b, c] = [
      await call(sim, 'GET', '/accounts'),
      await call(sim, 'GET', '/accounts'),
      await call(sim, 'GET', '/accounts'),
    ];
    expect([a.status, b.status, c.status]).toEqual([200, 200, 429]);
    expect(b.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(Number(c.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(sim.stats().faults.rate_limited).toBe(1);
  });

  it('enforces the published limits: 30 private and 10 public requests per second, each its own bucket', async () => {
    const frozen = Date.now();
    // A clock that does not move: no token comes back during the test, so the counts are exact.
    const sim = await startTestSim({ publishedRateLimits: true, now: () => frozen });
    const privateStatuses: number[] = [];
    for (let i = 0; i < 31; i++) privateStatuses.push((await call(sim, 'GET', '/accounts')).status);
    const publicStatuses: number[] = [];
    for (let i = 0; i < 11; i++)
      publicStatuses.push((await call(sim, 'GET', '/market/products?product_ids=BTC-USD', { token: null })).status);
    expect(privateStatuses.filter((s) => s === 200)).toHaveLength(30);
    expect(privateStatuses.at(-1)).toBe(429);
    expect(publicStatuses.filter((s) => s === 200)).toHaveLength(10);
    expect(publicStatuses.at(-1)).toBe(429);
    expect(sim.stats().faults.rate_limited).toBe(2);
  });

  it('setFaults replaces the REST faults at run time', async () => {
    const sim = await startTestSim();
    expect((await call(sim, 'GET', '/accounts')).status).toBe(200);
    sim.setFaults({ rest: { rate429: 1 } });
    expect((await call(sim, 'GET', '/accounts')).status).toBe(429);
    sim.setFaults({ rest: {} });
    expect((await call(sim, 'GET', '/accounts')).status).toBe(200);
  });
});
