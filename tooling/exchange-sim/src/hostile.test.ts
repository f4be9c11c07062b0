import { describe, expect, it } from 'vitest';
import { HOSTILE_KINDS, hostileKindFor, makeHostile } from './hostile.js';
import { call, getJson, startTestSim } from './test-utils.js';

describe('hostile values', () => {
  it('rewrites only the fields a kind names, at any depth, and leaves the input untouched', () => {
    const body = {
      trades: [{ price: '100', time: '2026-01-01T00:00:00Z', size: '1' }],
      best_bid: '99',
      best_ask: '101',
    };
    const bad = makeHostile(body, 'negative_bid') as typeof body;
    expect(bad).toEqual({
      trades: [{ price: '100', time: '2026-01-01T00:00:00Z', size: '1' }],
      best_bid: '-1',
      best_ask: '2',
    });
    expect((makeHostile(body, 'huge_exponent') as typeof body).trades[0]?.price).toBe('1e9000000000000001');
    expect((makeHostile(body, 'future_time') as typeof body).trades[0]?.time).toMatch(/^2099-/);
    expect(body.best_bid).toBe('99');
  });

  it('maps every draw in [0, 1) to a kind, covering all of them', () => {
    const seen = new Set(Array.from({ length: 70 }, (_, i) => hostileKindFor(i / 70)));
    expect([...seen].sort()).toEqual([...HOSTILE_KINDS].sort());
    expect(hostileKindFor(0.999999)).toBe(HOSTILE_KINDS.at(-1));
  });

  it('puts a hostile value into a market-data answer at rateHostile 1, counted as a fault', async () => {
    const sim = await startTestSim({ products: ['BIP-20DEC30-CDE'], faults: { rest: { rateHostile: 1 } } });
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => getJson(sim, '/products/BIP-20DEC30-CDE/ticker')),
    );
    const odd = answers.filter((a) => JSON.stringify(a).match(/"(-1|0|NaN|1e9000000000000001)"|2099-/));
    expect(odd.length).toBe(12);
    expect(sim.stats().faults.hostile_value).toBe(12);
  });
});

describe('ledger view', () => {
  it('copies out every order with its client id and status, the fills in sequence and the signed positions', async () => {
    const sim = await startTestSim({ products: ['BIP-20DEC30-CDE'] });
    const order = (id: string, side: 'BUY' | 'SELL', size: string) => ({
      client_order_id: id,
      product_id: 'BIP-20DEC30-CDE',
      side,
      order_configuration: { market_market_ioc: { base_size: size } },
    });
    expect((await call(sim, 'POST', '/orders', { body: order('c-1', 'BUY', '3') })).status).toBe(200);
    expect((await call(sim, 'POST', '/orders', { body: order('c-2', 'SELL', '1') })).status).toBe(200);
    const view = sim.ledger();
    expect(view.orders.map((o) => [o.clientOrderId, o.side, o.status, o.filledSize])).toEqual([
      ['c-1', 'BUY', 'FILLED', '3'],
      ['c-2', 'SELL', 'FILLED', '1'],
    ]);
    expect(view.fills.map((f) => [f.side, f.size])).toEqual([
      ['BUY', '3'],
      ['SELL', '1'],
    ]);
    expect(view.positions).toEqual([{ productId: 'BIP-20DEC30-CDE', qty: '2', contractSize: '0.01' }]);
  });
});
