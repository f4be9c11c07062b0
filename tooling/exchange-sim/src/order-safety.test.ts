import { describe, expect, it } from 'vitest';
import { call, getJson, startTestSim } from './test-utils.js';

const BIP = 'BIP-20DEC30-CDE';
const market = (clientId: string, side: 'BUY' | 'SELL', size: string) => ({
  client_order_id: clientId,
  product_id: BIP,
  side,
  order_configuration: { market_market_ioc: { base_size: size } },
});
const contracts = async (sim: Awaited<ReturnType<typeof startTestSim>>) => {
  const body = (await getJson(sim, '/cfm/positions')) as {
    positions: Array<{ product_id: string; number_of_contracts: string; side: string }>;
  };
  const p = body.positions.find((x) => x.product_id === BIP);
  return p ? `${p.side} ${p.number_of_contracts}` : 'flat';
};

describe('POST /orders/close_position', () => {
  it('closes the given size of the open position with a market order, idempotent on client_order_id', async () => {
    const sim = await startTestSim();
    await call(sim, 'POST', '/orders', { body: market('open-1', 'BUY', '5') });
    const closed = await call(sim, 'POST', '/orders/close_position', {
      body: { client_order_id: 'close-1', product_id: BIP, size: '2' },
    });
    expect(closed.json).toMatchObject({
      success: true,
      success_response: { side: 'SELL', client_order_id: 'close-1' },
    });
    expect(await contracts(sim)).toBe('LONG 3');
    await call(sim, 'POST', '/orders/close_position', {
      body: { client_order_id: 'close-1', product_id: BIP, size: '2' },
    });
    expect(await contracts(sim)).toBe('LONG 3');
    expect(sim.stats().orders).toBe(2);
  });

  it('refuses a size above the position and a close with no position', async () => {
    const sim = await startTestSim();
    const none = await call(sim, 'POST', '/orders/close_position', {
      body: { client_order_id: 'c-0', product_id: BIP, size: '1' },
    });
    expect(none.json).toMatchObject({ success: false, error_response: { error: 'INVALID_REQUEST' } });
    await call(sim, 'POST', '/orders', { body: market('open-1', 'SELL', '1') });
    const over = await call(sim, 'POST', '/orders/close_position', {
      body: { client_order_id: 'c-1', product_id: BIP, size: '2' },
    });
    expect(over.json).toMatchObject({ success: false });
    expect(await contracts(sim)).toBe('SHORT 1');
  });
});

describe('positions answers that lag the fills (the `positions` faults)', () => {
  it('stale: serves the positions of the moment it was switched on, until switched off', async () => {
    const sim = await startTestSim();
    await call(sim, 'POST', '/orders', { body: market('a', 'BUY', '2') });
    sim.setFaults({ positions: { stale: true } });
    expect(await contracts(sim)).toBe('LONG 2');
    await call(sim, 'POST', '/orders', { body: market('b', 'SELL', '2') });
    await call(sim, 'POST', '/orders', { body: market('c', 'SELL', '3') });
    expect(await contracts(sim)).toBe('LONG 2');
    sim.setFaults({ positions: {} });
    expect(await contracts(sim)).toBe('SHORT 3');
  });

  it('lagFills: serves the book as it was n fills ago', async () => {
    const sim = await startTestSim({ faults: { positions: { lagFills: 1 } } });
    await call(sim, 'POST', '/orders', { body: market('a', 'BUY', '2') });
    expect(await contracts(sim)).toBe('flat');
    await call(sim, 'POST', '/orders', { body: market('b', 'BUY', '1') });
    expect(await contracts(sim)).toBe('LONG 2');
  });
});

describe('lost order answers', () => {
  it('cut: carries the order out, then cuts the connection with no answer', async () => {
    const sim = await startTestSim({
      faults: { rest: { rateLostResponse: 1, lostResponseKind: 'cut', routes: ['orders.create'] } },
    });
    await expect(call(sim, 'POST', '/orders', { body: market('cut-1', 'BUY', '1') })).rejects.toThrow();
    expect(sim.stats().orders).toBe(1);
    expect(await contracts(sim)).toBe('LONG 1');
  });
});

describe('GET /orders/historical/batch by creation time', () => {
  it('filters on start_date, so an order can be found by product, date and client_order_id', async () => {
    const sim = await startTestSim();
    await call(sim, 'POST', '/orders', { body: market('one', 'BUY', '1') });
    const since = (iso: string) =>
      getJson(sim, `/orders/historical/batch?product_ids=${BIP}&start_date=${iso}`) as Promise<{
        orders: Array<{ client_order_id: string }>;
      }>;
    expect((await since(new Date(Date.now() - 60_000).toISOString())).orders.map((o) => o.client_order_id)).toEqual([
      'one',
    ]);
    expect((await since(new Date(Date.now() + 60_000).toISOString())).orders).toEqual([]);
    expect((await call(sim, 'GET', '/orders/historical/batch?start_date=yesterday')).status).toBe(400);
  });
});
