import { Decimal, OrderOutcomeUnknownError } from '@perps-bot/core';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoinbaseOrderRejectedError, CoinbaseValidationError } from './errors.js';
import { API_ORIGIN, BASE, caught, fixture, harness } from './test-utils.js';

const api = () => nock(API_ORIGIN);
const BIP = 'BIP-20DEC30-CDE';
const request = { symbol: BIP, side: 'BUY', type: 'MARKET', quantity: new Decimal('2'), clientId: 'pb-7' } as const;
const noRetry = { retry: { maxAttempts: 1 } } as const;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('CoinbaseBrokerage: an order whose outcome is not known', () => {
  it('a 200 cut short is OrderOutcomeUnknownError naming the client order id, not a failure', async () => {
    const h = harness(noRetry);
    api().post(`${BASE}/orders`).reply(200, '{"success":true,"success_resp');
    const error = await caught(h.broker.placeOrder(request));
    expect(error).toBeInstanceOf(OrderOutcomeUnknownError);
    expect(error).toMatchObject({ code: 'ORDER_OUTCOME_UNKNOWN', clientOrderId: 'pb-7', symbol: BIP });
  });

  it('a 200 of the wrong shape and a 503 after the retries are unknown too', async () => {
    const h = harness(noRetry);
    api().post(`${BASE}/orders`).reply(200, { unexpected: true });
    expect(await caught(h.broker.placeOrder(request))).toBeInstanceOf(OrderOutcomeUnknownError);
    api().post(`${BASE}/orders`).reply(503, fixture('error-500'));
    expect(await caught(h.broker.placeOrder({ ...request, clientId: 'pb-8' }))).toBeInstanceOf(
      OrderOutcomeUnknownError,
    );
  });

  it('a refusal in the body, a 400 and an order refused before sending stay definite failures', async () => {
    const h = harness(noRetry);
    api().post(`${BASE}/orders`).reply(200, fixture('create-order-failure'));
    expect(await caught(h.broker.placeOrder(request))).toBeInstanceOf(CoinbaseOrderRejectedError);
    api().post(`${BASE}/orders`).reply(400, fixture('error-400'));
    expect(await caught(h.broker.placeOrder({ ...request, clientId: 'pb-9' }))).not.toBeInstanceOf(
      OrderOutcomeUnknownError,
    );
    expect(
      await caught(h.broker.placeOrder({ ...request, quantity: new Decimal(0), clientId: 'pb-10' })),
    ).toBeInstanceOf(CoinbaseValidationError);
  });
});

describe('CoinbaseBrokerage: looking an order up by client order id', () => {
  it('lists the product’s orders since a little before the intent and returns the one with that id', async () => {
    const h = harness();
    let query: Record<string, unknown> = {};
    api()
      .get(`${BASE}/orders/historical/batch`)
      .query((q) => {
        query = q;
        return true;
      })
      .reply(200, fixture('orders-list'));
    const order = await h.broker.getOrderByClientId('bot-43', { symbol: BIP, since: new Date('2026-04-07T13:05:00Z') });
    expect(order).toMatchObject({ id: '0a0a0a0a-0000-4000-8000-000000000002', clientId: 'bot-43', symbol: BIP });
    expect(query).toMatchObject({ product_ids: BIP, start_date: '2026-04-07T13:00:00.000Z' });
  });

  it('answers null when the exchange has no order with that id, and throws when it cannot be asked', async () => {
    const h = harness(noRetry);
    api().get(`${BASE}/orders/historical/batch`).query(true).reply(200, { orders: [], has_next: false, cursor: '' });
    expect(await h.broker.getOrderByClientId('nope', { symbol: BIP, since: new Date() })).toBeNull();
    api().get(`${BASE}/orders/historical/batch`).query(true).reply(503, fixture('error-500'));
    expect(await caught(h.broker.getOrderByClientId('nope', { symbol: BIP, since: new Date() }))).toBeInstanceOf(Error);
  });
});

describe('CoinbaseBrokerage: closePosition', () => {
  it('posts the documented close_position body and returns a reduce-only order', async () => {
    const h = harness();
    let body: Record<string, unknown> = {};
    api()
      .post(`${BASE}/orders/close_position`, (b: Record<string, unknown>) => {
        body = b;
        return true;
      })
      .reply(200, fixture('create-order-success'));
    const order = await h.broker.closePosition({ symbol: BIP, quantity: new Decimal('3'), clientId: 'close-1' });
    expect(body).toEqual({ client_order_id: 'close-1', product_id: BIP, size: '3' });
    expect(order).toMatchObject({ clientId: 'close-1', symbol: BIP, reduceOnly: true, type: 'MARKET' });
  });
});
