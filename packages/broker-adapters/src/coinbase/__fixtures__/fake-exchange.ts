import { randomUUID, type KeyObject } from 'node:crypto';
import { Decimal } from '@perps-bot/core';
import { jwtVerify } from 'jose';
import nock from 'nock';
import { API_ORIGIN, BASE, fixture } from '../test-utils.js';

type Json = Record<string, unknown>;
type Reply = [number, Json | string];

interface Book {
  readonly bid: string;
  readonly ask: string;
  readonly last: string;
}

const BOOKS: Record<string, Book> = {
  'BIP-20DEC30-CDE': { bid: '68925', ask: '68935', last: '68930' },
  'BTC-PERP-INTX': { bid: '68900.0', ask: '68900.2', last: '68900.1' },
  'BTC-USD': { bid: '68901.36', ask: '68901.38', last: '68901.37' },
};

/**
 * A small stateful Coinbase behind nock, built from the documented fixtures: it verifies every JWT with the
 * public key (and that its `uri` names the request), keeps orders by id and client order id, fills market
 * orders at the book, rests far-away limits, cancels, and tracks CFM positions. Enough for the shared
 * Brokerage contract to run against the real adapter, transport and parsers.
 */
export function installFakeCoinbase(options: { publicKey: KeyObject; now: () => Date }) {
  const orders = new Map<string, Json>();
  const byClientId = new Map<string, string>();
  const contracts = new Map<string, Decimal>();
  const posts: Json[] = [];

  const authorize = async (method: string, path: string, header: unknown): Promise<Reply | null> => {
    const token = typeof header === 'string' ? header.replace(/^Bearer /, '') : '';
    try {
      const { payload } = await jwtVerify(token, options.publicKey, { currentDate: options.now() });
      if (payload.uri !== `${method} api.coinbase.com${path}`) return [401, fixture('error-401')];
      return null;
    } catch {
      return [401, fixture('error-401')];
    }
  };

  const orderStatusFor = (config: Json, side: string, productId: string): { status: string; price: string | null } => {
    const book = BOOKS[productId] as Book;
    if ('market_market_ioc' in config) return { status: 'FILLED', price: side === 'BUY' ? book.ask : book.bid };
    const limit = Object.values(config)[0] as Json;
    const price = new Decimal(String(limit.limit_price));
    const marketable = side === 'BUY' ? price.greaterThanOrEqualTo(book.ask) : price.lessThanOrEqualTo(book.bid);
    return marketable
      ? { status: 'FILLED', price: side === 'BUY' ? book.ask : book.bid }
      : { status: 'OPEN', price: null };
  };

  const create = (body: Json): Reply => {
    posts.push(body);
    const clientId = String(body.client_order_id);
    const productId = String(body.product_id);
    const side = String(body.side);
    const known = byClientId.get(clientId);
    if (known)
      return [
        200,
        {
          success: true,
          success_response: { order_id: known, product_id: productId, side, client_order_id: clientId },
        },
      ];
    if (!BOOKS[productId]) return [200, fixture('create-order-failure')];
    const config = body.order_configuration as Json;
    const size = String((Object.values(config)[0] as Json).base_size);
    const { status, price } = orderStatusFor(config, side, productId);
    const id = randomUUID();
    const template = fixture<{ order: Json }>('order').order;
    orders.set(id, {
      ...template,
      order_id: id,
      client_order_id: clientId,
      product_id: productId,
      side,
      status,
      order_configuration: config,
      order_type: 'market_market_ioc' in config ? 'MARKET' : 'LIMIT',
      time_in_force: 'market_market_ioc' in config ? 'IMMEDIATE_OR_CANCEL' : 'GOOD_UNTIL_CANCELLED',
      created_time: options.now().toISOString(),
      filled_size: status === 'FILLED' ? size : '0',
      average_filled_price: price ?? '0',
    });
    byClientId.set(clientId, id);
    if (status === 'FILLED') {
      const signed = side === 'BUY' ? new Decimal(size) : new Decimal(size).negated();
      contracts.set(productId, (contracts.get(productId) ?? new Decimal(0)).plus(signed));
    }
    return [
      200,
      { success: true, success_response: { order_id: id, product_id: productId, side, client_order_id: clientId } },
    ];
  };

  const cancel = (body: Json): Reply => {
    const results = (body.order_ids as string[]).map((id) => {
      const order = orders.get(id);
      if (!order) return { success: false, failure_reason: 'UNKNOWN_CANCEL_ORDER', order_id: id };
      if (order.status !== 'OPEN') return { success: false, failure_reason: 'DUPLICATE_CANCEL_REQUEST', order_id: id };
      orders.set(id, { ...order, status: 'CANCELLED' });
      return { success: true, failure_reason: 'UNKNOWN_CANCEL_FAILURE_REASON', order_id: id };
    });
    return [200, { results }];
  };

  const ticker = (productId: string): Reply => {
    const book = BOOKS[productId];
    if (!book) return [404, fixture('error-404')];
    const trade = {
      trade_id: '1',
      product_id: productId,
      price: book.last,
      size: '1',
      time: options.now().toISOString(),
      side: 'BUY',
    };
    return [200, { trades: [trade], best_bid: book.bid, best_ask: book.ask }];
  };

  const products = () => fixture<{ products: Json[] }>('products').products;

  const route = (method: string, url: URL, body: Json): Reply => {
    const path = url.pathname.slice(BASE.length);
    const list = (name: string) => url.searchParams.getAll(name);
    if (method === 'POST' && path === '/orders') return create(body);
    if (method === 'POST' && path === '/orders/batch_cancel') return cancel(body);
    if (path === '/time') return [200, fixture('server-time')];
    if (path === '/accounts') {
      const accounts = [
        ...fixture<{ accounts: Json[] }>('accounts-page1').accounts,
        ...fixture<{ accounts: Json[] }>('accounts-page2').accounts,
      ];
      return [200, { accounts, has_next: false, cursor: '', size: accounts.length }];
    }
    if (path === '/products') return [200, { products: products(), num_products: products().length }];
    if (path === '/best_bid_ask') {
      const pricebooks = list('product_ids')
        .filter((id) => BOOKS[id])
        .map((id) => {
          const book = BOOKS[id] as Book;
          return {
            product_id: id,
            bids: [{ price: book.bid, size: '1' }],
            asks: [{ price: book.ask, size: '1' }],
            time: options.now().toISOString(),
          };
        });
      return [200, { pricebooks }];
    }
    const tickerMatch = /^\/products\/([^/]+)\/ticker$/.exec(path);
    if (tickerMatch) return ticker(decodeURIComponent(tickerMatch[1] as string));
    const productMatch = /^\/products\/([^/]+)$/.exec(path);
    if (productMatch) {
      const product = products().find((p) => p.product_id === decodeURIComponent(productMatch[1] as string));
      return product ? [200, product] : [404, fixture('error-404')];
    }
    if (path === '/orders/historical/batch') {
      const ids = list('product_ids');
      const found = [...orders.values()].filter((o) => ids.length === 0 || ids.includes(String(o.product_id)));
      return [200, { orders: found, has_next: false, cursor: '' }];
    }
    if (path === '/orders/historical/fills') return [200, { fills: [], cursor: '' }];
    const orderMatch = /^\/orders\/historical\/([^/]+)$/.exec(path);
    if (orderMatch) {
      const order = orders.get(decodeURIComponent(orderMatch[1] as string));
      return order ? [200, { order }] : [404, fixture('error-404')];
    }
    if (path === '/cfm/positions') {
      const positions = [...contracts]
        .filter(([, n]) => !n.isZero())
        .map(([productId, n]) => ({
          product_id: productId,
          side: n.isNegative() ? 'SHORT' : 'LONG',
          number_of_contracts: n.abs().toFixed(),
          current_price: BOOKS[productId]?.last ?? '0',
          avg_entry_price: BOOKS[productId]?.ask ?? '0',
          unrealized_pnl: '0',
          daily_realized_pnl: '0',
        }));
      return [200, { positions }];
    }
    return [404, fixture('error-404')];
  };

  const handle = async (
    method: string,
    uri: string,
    headers: Record<string, unknown>,
    body: unknown,
  ): Promise<Reply> => {
    const url = new URL(uri, API_ORIGIN);
    const publicPath = url.pathname === `${BASE}/time` || url.pathname.startsWith(`${BASE}/market/`);
    if (!publicPath) {
      const refused = await authorize(method, url.pathname, headers.authorization);
      if (refused) return refused;
    }
    return route(method, url, (typeof body === 'object' && body !== null ? body : {}) as Json);
  };

  const scope = nock(API_ORIGIN)
    .persist()
    .get(() => true)
    .reply(async function (uri) {
      return handle('GET', uri, this.req.headers, undefined);
    })
    .post(() => true)
    .reply(async function (uri, body) {
      return handle('POST', uri, this.req.headers, body);
    });

  return {
    posts,
    orders,
    uninstall: () => {
      scope.persist(false);
      nock.cleanAll();
    },
  };
}
