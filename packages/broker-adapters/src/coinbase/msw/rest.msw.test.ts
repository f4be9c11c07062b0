// msw: the exchange's side of each REST conversation, scripted at the fetch boundary from docs-shaped fixtures
// (nock stays for retries, timeouts and headers in transport/*.test.ts).
import { Decimal, type PlaceOrderRequest } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import {
  CoinbaseAuthError,
  CoinbaseExchangeError,
  CoinbaseIntxRetiredError,
  CoinbaseMalformedResponseError,
  CoinbaseOrderRejectedError,
  CoinbasePreviewRejectedError,
  CoinbaseRateLimitError,
} from '../errors.js';
import { caught, harness } from '../test-utils.js';
import { docs, http, installExchange, json, legacyFixture, REST } from './exchange.js';

const server = installExchange();
const BIP = 'BIP-20DEC30-CDE';
const market: PlaceOrderRequest = {
  symbol: BIP,
  side: 'BUY',
  type: 'MARKET',
  quantity: new Decimal(1),
  clientId: 'bot-1',
};
const str = (d: Decimal | null | undefined) => (d ? d.toFixed() : d);

describe('Coinbase REST contract (msw, docs-shaped fixtures)', () => {
  it('reads num_products as a number or as a numeric string', async () => {
    const h = harness();
    server.use(http.get(`${REST}/products`, () => json(docs('list-products-count-as-string'))));
    await expect(h.broker.listProducts()).resolves.toHaveLength(1);
    server.use(http.get(`${REST}/products`, () => json(docs('list-products'))));
    await expect(h.broker.listProducts()).resolves.toHaveLength(3);
  });

  it('refuses a num_products that is not a count', async () => {
    const h = harness();
    server.use(
      http.get(`${REST}/products`, () => json({ ...docs('list-products-count-as-string'), num_products: '6.5' })),
    );
    const error = await caught(h.broker.listProducts());
    expect(error).toBeInstanceOf(CoinbaseMalformedResponseError);
    expect(error).toMatchObject({ field: 'num_products' });
  });

  it('maps the CFM listing: the perpetual-style BIP (FUTURE, EXPIRING, funding) and a dated BIT', async () => {
    const h = harness();
    server.use(http.get(`${REST}/products`, () => json(docs('list-products'))));
    const [bip, bit, spot] = await h.broker.listProducts();
    expect(bip).toMatchObject({ symbol: BIP, marketType: 'PERPETUAL', baseAsset: 'BTC', quoteAsset: 'USD' });
    expect([str(bip?.priceIncrement), str(bip?.contractSize), str(bip?.stepSize), str(bip?.fundingRate)]).toEqual([
      '5',
      '0.01',
      '1',
      '0.000009',
    ]);
    expect(bip?.expiry?.toISOString()).toBe('2030-12-20T16:00:00.000Z');
    expect(bip?.nextFundingTime?.toISOString()).toBe('2026-12-01T20:00:00.000Z');
    expect(bit).toMatchObject({ symbol: 'BIT-26DEC26-CDE', marketType: 'FUTURE', fundingRate: null });
    expect(spot).toMatchObject({ symbol: 'BTC-USD', marketType: 'SPOT' });
  });

  it('refuses a product without its increments', async () => {
    const h = harness();
    const { base_increment: _dropped, ...broken } = docs('get-product-bip');
    server.use(http.get(`${REST}/products/${BIP}`, () => json(broken)));
    await expect(h.broker.getProduct(BIP)).rejects.toMatchObject({
      code: 'MALFORMED_RESPONSE',
      field: 'base_increment',
    });
  });

  it('reports the specific reject reason, not the generic UNKNOWN_FAILURE_REASON next to it', async () => {
    const h = harness();
    server.use(http.post(`${REST}/orders`, () => json(docs('create-order-refused-generic-error'))));
    const error = await caught(h.broker.placeOrder(market));
    expect(error).toBeInstanceOf(CoinbaseOrderRejectedError);
    expect(error).toMatchObject({ reason: 'INSUFFICIENT_FUND', exchangeCode: 'INSUFFICIENT_FUND' });
    expect((error as Error).message).toBe(
      `Coinbase rejected the BUY MARKET order for ${BIP}: INSUFFICIENT_FUND (Insufficient buying power for futures)`,
    );

    server.use(http.post(`${REST}/orders`, () => json(docs('create-order-refused-preview-reason'))));
    const limit: PlaceOrderRequest = { ...market, type: 'LIMIT', price: new Decimal(91242), clientId: 'bot-2' };
    await expect(h.broker.placeOrder(limit)).rejects.toMatchObject({ reason: 'PREVIEW_INVALID_LIMIT_PRICE' });
  });

  it('with previews on, a preview that lists errs refuses the order before any POST /orders', async () => {
    const h = harness({ previewOrders: true });
    const previews: unknown[] = [];
    server.use(
      http.post(`${REST}/orders/preview`, async ({ request }) => {
        previews.push(await request.json());
        return json(docs('preview-order-refused'));
      }),
      // No POST /orders handler: msw fails the test if the order is sent anyway.
    );
    const error = await caught(h.broker.placeOrder(market));
    expect(error).toBeInstanceOf(CoinbasePreviewRejectedError);
    expect(error).toMatchObject({
      code: 'RISK_REJECTED',
      reason: 'PREVIEW_INSUFFICIENT_FUNDS_FOR_FUTURES',
      symbol: BIP,
    });
    expect(previews).toEqual([
      { product_id: BIP, side: 'BUY', order_configuration: { market_market_ioc: { base_size: '1' } } },
    ]);
  });

  it('with previews on, a clean preview is followed by the order; with previews off there is no preview', async () => {
    const calls: string[] = [];
    server.use(
      http.post(`${REST}/orders/preview`, () => {
        calls.push('preview');
        return json(docs('preview-order-ok'));
      }),
      http.post(`${REST}/orders`, () => {
        calls.push('order');
        return json(legacyFixture('create-order-success'));
      }),
    );
    await harness({ previewOrders: true }).broker.placeOrder(market);
    await harness().broker.placeOrder({ ...market, clientId: 'bot-9' });
    expect(calls).toEqual(['preview', 'order', 'order']);
  });

  it('follows has_next/cursor for orders and the cursor for fills', async () => {
    const h = harness();
    const cursors: Array<string | null> = [];
    server.use(
      http.get(`${REST}/orders/historical/batch`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        cursors.push(cursor);
        return json(docs(cursor === 'c-orders-2' ? 'list-orders-page2' : 'list-orders-page1'));
      }),
      http.get(`${REST}/orders/historical/fills`, ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor');
        cursors.push(cursor);
        return json(docs(cursor === 'c-fills-2' ? 'list-fills-page2' : 'list-fills-page1'));
      }),
    );
    expect((await h.broker.listOrders()).map((o) => o.clientId)).toEqual(['bot-1', 'bot-2', 'bot-3']);
    expect((await h.broker.listFills()).map((f) => f.orderId.slice(-1))).toEqual(['1', '2', '3']);
    expect(cursors).toEqual([null, 'c-orders-2', null, 'c-fills-2']);
  });

  // 51 signed requests: a generous budget for a loaded machine (the assertion is on counts, never on time).
  it(
    'stops paging at the limit asked for, and at 50 pages when the server always says has_next',
    { timeout: 120_000 },
    async () => {
      const h = harness();
      let requests = 0;
      server.use(
        http.get(`${REST}/orders/historical/batch`, () => {
          requests += 1;
          return json({ ...docs('list-orders-page1'), cursor: `c-${requests}` });
        }),
      );
      expect(await h.broker.listOrders({ limit: 3 })).toHaveLength(3);
      expect(requests).toBe(2);
      requests = 0;
      expect(await h.broker.listOrders()).toHaveLength(100);
      expect(requests).toBe(50);
    },
  );

  it('counts a CFM position only when its side is LONG or SHORT, with no leverage', async () => {
    const h = harness();
    server.use(http.get(`${REST}/cfm/positions`, () => json(docs('cfm-positions'))));
    const positions = await h.broker.listPositions();
    expect(positions.map((p) => [p.symbol, p.side, p.quantity.toFixed(), p.leverage])).toEqual([
      [BIP, 'long', '2', null],
    ]);
    expect(h.logger.at('warn').map((r) => r.message)).toContain(
      'Coinbase CFM position BIT-26DEC26-CDE has side "UNKNOWN", neither LONG nor SHORT; not counted',
    );
  });

  it('refuses an INTX order before any request when told INTX is retired', async () => {
    const error = await caught(harness({ refuseIntx: true }).broker.placeOrder({ ...market, symbol: 'BTC-PERP-INTX' }));
    expect(error).toBeInstanceOf(CoinbaseIntxRetiredError);
    expect((error as Error).message).toMatch(/INTX perpetuals were retired from Coinbase Advanced Trade/);
  });

  it('maps the documented 401, 429 and 5xx bodies to typed errors', async () => {
    const h = harness({ retry: { maxAttempts: 2 } });
    server.use(http.get(`${REST}/cfm/balance_summary`, () => json(legacyFixture('error-401'), 401)));
    expect(await caught(h.broker.rest.getCfmBalanceSummary())).toBeInstanceOf(CoinbaseAuthError);
    server.use(
      http.get(`${REST}/cfm/balance_summary`, () => json(legacyFixture('error-429'), 429, { 'retry-after': '120' })),
    );
    expect(await caught(h.broker.rest.getCfmBalanceSummary())).toBeInstanceOf(CoinbaseRateLimitError);
    let attempts = 0;
    server.use(
      http.get(`${REST}/cfm/balance_summary`, () => {
        attempts += 1;
        return json(legacyFixture('error-500'), 503);
      }),
    );
    expect(await caught(h.broker.rest.getCfmBalanceSummary())).toBeInstanceOf(CoinbaseExchangeError);
    expect(attempts).toBe(2);
  });
});
