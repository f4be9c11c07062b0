import { Decimal, type PlaceOrderRequest } from '@perps-bot/core';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoinbaseOrderRejectedError, CoinbaseValidationError } from './errors.js';
import { API_ORIGIN, BASE, caught, expectNoSecrets, fixture, harness, serialiseError } from './test-utils.js';

const api = () => nock(API_ORIGIN);
const BIP = 'BIP-20DEC30-CDE';
const ORDER_ID = '11111111-2222-4333-8444-555555555555';

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

/** Places one order against a POST /orders that records the body and answers success. */
async function placed(request: PlaceOrderRequest, options: Parameters<typeof harness>[0] = {}) {
  const h = harness(options);
  let body: Record<string, unknown> = {};
  api()
    .post(`${BASE}/orders`, (b: Record<string, unknown>) => {
      body = b;
      return true;
    })
    .reply(200, fixture('create-order-success'));
  const order = await h.broker.placeOrder(request);
  return { h, body, order };
}

describe('CoinbaseBrokerage: placing orders', () => {
  it('sends a market order as market_market_ioc with the caller’s client order id', async () => {
    const { body, order } = await placed({
      symbol: BIP,
      side: 'BUY',
      type: 'MARKET',
      quantity: new Decimal('2'),
      clientId: 'c0ffee-0001',
    });
    expect(body).toEqual({
      client_order_id: 'c0ffee-0001',
      product_id: BIP,
      side: 'BUY',
      order_configuration: { market_market_ioc: { base_size: '2' } },
    });
    expect(order).toMatchObject({
      id: ORDER_ID,
      clientId: 'c0ffee-0001',
      status: 'SUBMITTED',
      type: 'MARKET',
      tif: 'IOC',
    });
  });

  it.each([
    ['GTC', { limit_limit_gtc: { base_size: '0.5', limit_price: '60000.5', post_only: false } }],
    ['IOC', { sor_limit_ioc: { base_size: '0.5', limit_price: '60000.5' } }],
    ['FOK', { limit_limit_fok: { base_size: '0.5', limit_price: '60000.5' } }],
  ] as const)('sends a %s limit order with its documented configuration', async (tif, configuration) => {
    const { body } = await placed({
      symbol: 'BTC-PERP-INTX',
      side: 'SELL',
      type: 'LIMIT',
      quantity: new Decimal('0.5'),
      price: new Decimal('60000.50'),
      tif,
    });
    expect(body.order_configuration).toEqual(configuration);
  });

  it('sends stop-limits with the stop direction, leverage and margin type, and no reduce_only (not a create-order field)', async () => {
    const { body, order } = await placed(
      {
        symbol: 'BTC-PERP-INTX',
        side: 'SELL',
        type: 'STOP_LIMIT',
        quantity: new Decimal('0.1'),
        price: new Decimal('59000'),
        stopPrice: new Decimal('59500'),
        leverage: 3,
        reduceOnly: true,
        clientId: 'stop-1',
      },
      { derivatives: { marginType: 'CROSS' } },
    );
    expect(body).toMatchObject({
      order_configuration: {
        stop_limit_stop_limit_gtc: {
          base_size: '0.1',
          limit_price: '59000',
          stop_price: '59500',
          stop_direction: 'STOP_DIRECTION_STOP_DOWN',
        },
      },
      leverage: '3',
      margin_type: 'CROSS',
    });
    // Only fields the documented create-order request has (reference §0b): the bot keeps reduce-only itself.
    const documented = [
      'client_order_id',
      'product_id',
      'side',
      'order_configuration',
      'leverage',
      'margin_type',
      'retail_portfolio_id',
      'preview_id',
      'attached_order_configuration',
      'self_trade_prevention_id',
    ];
    expect(Object.keys(body).filter((k) => !documented.includes(k))).toEqual([]);
    expect(order.reduceOnly).toBe(true);
  });

  it('generates a client order id when the caller gives none', async () => {
    const ids = ['gen-1', 'gen-2'];
    const { body, order } = await placed(
      { symbol: BIP, side: 'BUY', type: 'MARKET', quantity: new Decimal(1) },
      { newClientOrderId: () => ids.shift() ?? 'x' },
    );
    expect(body.client_order_id).toBe('gen-1');
    expect(order.clientId).toBe('gen-1');
  });

  it.each([
    [{ type: 'LIMIT' as const }, /LIMIT order needs a positive price/],
    [{ type: 'MARKET' as const, quantity: new Decimal(0) }, /quantity must be positive/],
    [{ type: 'STOP' as const }, /no stop-market orders/],
    [{ type: 'STOP_LIMIT' as const, price: new Decimal(1) }, /needs a positive stop price/],
  ])('refuses %o before sending anything', async (overrides, message) => {
    const h = harness();
    const request = { symbol: BIP, side: 'BUY' as const, quantity: new Decimal(1), ...overrides };
    const error = await caught(h.broker.placeOrder(request));
    expect(error).toBeInstanceOf(CoinbaseValidationError);
    expect((error as Error).message).toMatch(message);
    // nock has no interceptor: a request would have failed with a different error
  });

  it('turns success:false into CoinbaseOrderRejectedError and lets the same client id try again', async () => {
    const h = harness();
    api()
      .post(`${BASE}/orders`)
      .reply(200, fixture('create-order-failure'), { 'x-request-id': 'rej-1' })
      .post(`${BASE}/orders`)
      .reply(200, fixture('create-order-success'));
    const request: PlaceOrderRequest = {
      symbol: BIP,
      side: 'BUY',
      type: 'MARKET',
      quantity: new Decimal(500),
      clientId: 'big-1',
    };
    const error = await caught(h.broker.placeOrder(request));
    expect(error).toBeInstanceOf(CoinbaseOrderRejectedError);
    expect(error).toMatchObject({
      code: 'EXCHANGE',
      reason: 'INSUFFICIENT_FUND',
      symbol: BIP,
      clientOrderId: 'big-1',
      requestId: 'rej-1',
      status: 200,
    });
    expect((error as Error).message).toBe(
      `Coinbase rejected the BUY MARKET order for ${BIP}: INSUFFICIENT_FUND (Insufficient balance in source account)`,
    );
    expectNoSecrets(serialiseError(error), h.key.secrets);
    await expect(h.broker.placeOrder(request)).resolves.toMatchObject({ id: ORDER_ID });
  });

  it('sends one POST for repeated placements with the same client order id, even concurrent ones', async () => {
    const h = harness();
    const scope = api().post(`${BASE}/orders`).once().reply(200, fixture('create-order-success'));
    const request: PlaceOrderRequest = {
      symbol: BIP,
      side: 'BUY',
      type: 'MARKET',
      quantity: new Decimal(2),
      clientId: 'c0ffee-0001',
    };
    const [a, b] = await Promise.all([h.broker.placeOrder(request), h.broker.placeOrder(request)]);
    const c = await h.broker.placeOrder(request);
    expect(scope.isDone()).toBe(true);
    expect(a).toBe(b);
    expect(c).toBe(a);
  });
});

describe('CoinbaseBrokerage: managing orders', () => {
  it('cancels through batch_cancel: true when accepted, false for an unknown order', async () => {
    const h = harness();
    const bodies: unknown[] = [];
    api()
      .post(`${BASE}/orders/batch_cancel`, (b) => bodies.push(b) > 0)
      .reply(200, fixture('cancel-success'))
      .post(`${BASE}/orders/batch_cancel`, (b) => bodies.push(b) > 0)
      .reply(200, fixture('cancel-unknown'));
    await expect(h.broker.cancelOrder(ORDER_ID)).resolves.toBe(true);
    await expect(h.broker.cancelOrder('no-such-order')).resolves.toBe(false);
    expect(bodies).toEqual([{ order_ids: [ORDER_ID] }, { order_ids: ['no-such-order'] }]);
  });

  it('gets an order and remembers that it was placed reduce-only', async () => {
    const h = harness();
    api()
      .post(`${BASE}/orders`)
      .reply(200, fixture('create-order-success'))
      .get(`${BASE}/orders/historical/${ORDER_ID}`)
      .reply(200, fixture('order'));
    await h.broker.placeOrder({
      symbol: BIP,
      side: 'BUY',
      type: 'LIMIT',
      quantity: new Decimal(2),
      price: new Decimal(60000),
      reduceOnly: true,
    });
    const order = await h.broker.getOrder(ORDER_ID);
    expect(order).toMatchObject({
      id: ORDER_ID,
      clientId: 'c0ffee-0001',
      symbol: BIP,
      side: 'BUY',
      type: 'LIMIT',
      tif: 'GTC',
      status: 'SUBMITTED',
      avgFillPrice: null,
      reduceOnly: true,
    });
    expect([order?.quantity, order?.price, order?.filledQuantity].map((d) => d?.toFixed())).toEqual([
      '2',
      '60000',
      '0',
    ]);
    expect(order?.submittedAt.toISOString()).toBe('2026-04-07T14:30:05.000Z');
  });

  it('lists orders with Coinbase filters and maps fills and partial fills', async () => {
    const h = harness();
    let query: Record<string, unknown> = {};
    api()
      .get(`${BASE}/orders/historical/batch`)
      .query((q) => {
        query = q;
        return true;
      })
      .reply(200, fixture('orders-list'));
    const orders = await h.broker.listOrders({ symbol: 'BTC-PERP-INTX', status: 'FILLED', limit: 10 });
    expect(query).toEqual({ product_ids: 'BTC-PERP-INTX', order_status: 'FILLED', limit: '10' });
    // The fixture also holds an OPEN order; the adapter keeps only what the filter asked for.
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ side: 'SELL', type: 'MARKET', tif: 'IOC', status: 'FILLED', clientId: 'bot-42' });
    expect(orders[0]?.avgFillPrice?.toFixed()).toBe('68700');

    api().get(`${BASE}/orders/historical/batch`).query(true).reply(200, fixture('orders-list'));
    const all = await h.broker.listOrders();
    expect(all.map((o) => o.status)).toEqual(['FILLED', 'PARTIALLY_FILLED']);
  });

  it('lists fills as decimals', async () => {
    const h = harness();
    api()
      .get(`${BASE}/orders/historical/fills`)
      .query({ product_ids: 'BTC-PERP-INTX', limit: '5' })
      .reply(200, fixture('fills'));
    const [fill] = await h.broker.listFills('BTC-PERP-INTX', 5);
    expect(fill).toMatchObject({
      orderId: '0a0a0a0a-0000-4000-8000-000000000001',
      symbol: 'BTC-PERP-INTX',
      side: 'SELL',
    });
    expect([fill?.price, fill?.quantity, fill?.fee].map((d) => d?.toFixed())).toEqual(['68700', '0.05', '1.03']);
    expect(fill?.ts.toISOString()).toBe('2026-04-07T13:00:00.250Z');
  });
});
