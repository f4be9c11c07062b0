import { ErrorCodes, ProductSanityError } from '@perps-bot/core';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CoinbaseBrokerOptions } from './options.js';
import { API_ORIGIN, BASE, START, caught, fixture, harness as baseHarness } from './test-utils.js';

// Issue 11, "sane values only", at the Coinbase boundary: what the exchange answers is untrusted input.
const api = () => nock(API_ORIGIN);
// No per-attempt timeout: on a loaded machine a 1 s timeout could turn a slow nock answer into a retry, and
// timing must not decide these tests.
const harness = (options: Partial<CoinbaseBrokerOptions> = {}) =>
  baseHarness({ timeoutSignal: () => new AbortController().signal, ...options });
const ticker = (change: Record<string, unknown>, trade: Record<string, unknown> = {}) => {
  const base = fixture<{ trades: Record<string, unknown>[] }>('ticker');
  return { ...base, trades: [{ ...base.trades[0], ...trade }], ...change };
};
const products = () => fixture<{ products: Record<string, unknown>[] }>('products').products;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('Coinbase quotes: finite, positive prices and a mid only from a sane book', () => {
  it.each([
    ['a negative bid (bid −1 / ask 2 would mark 0.5)', { best_bid: '-1', best_ask: '2' }],
    ['a zero bid (half the ask is not a price)', { best_bid: '0' }],
    ['a crossed book', { best_bid: '68940', best_ask: '68935' }],
  ])('answers no quote for %s', async (_name, change) => {
    const h = harness();
    api()
      .get(`${BASE}/products/BIP-20DEC30-CDE/ticker`)
      .query(true)
      .reply(200, ticker({ ...change, trades: [] }));
    await expect(h.broker.getQuote('BIP-20DEC30-CDE')).resolves.toBeNull();
  });

  it('refuses a price that overflows to Infinity as a malformed answer naming the field', async () => {
    const h = harness();
    api()
      .get(`${BASE}/products/BIP-20DEC30-CDE/ticker`)
      .query(true)
      .reply(200, ticker({}, { price: '1e9000000000000001' }));
    const error = await caught(h.broker.getQuote('BIP-20DEC30-CDE'));
    expect(error).toMatchObject({ code: ErrorCodes.MALFORMED_RESPONSE });
    expect((error as Error).message).toContain('is not a decimal ("1e9000000000000001")');
  });

  it('answers no quote when the last trade price is zero or negative', async () => {
    const h = harness();
    api()
      .get(`${BASE}/products/BIP-20DEC30-CDE/ticker`)
      .query(true)
      .reply(200, ticker({}, { price: '-5' }));
    await expect(h.broker.getQuote('BIP-20DEC30-CDE')).resolves.toBeNull();
  });

  it('leaves out a listed product whose last price is not positive, keeping the sane one (batched quotes)', async () => {
    const h = harness();
    const listed = fixture<{ products: Record<string, unknown>[] }>('products');
    const body = {
      ...listed,
      products: listed.products.map((p) => (p.product_id === 'BIP-20DEC30-CDE' ? { ...p, price: '0' } : p)),
    };
    api().get(`${BASE}/products`).query(true).reply(200, body);
    const quotes = await h.broker.getQuotes(['BIP-20DEC30-CDE', 'BTC-PERP-INTX']);
    expect([...quotes.keys()]).toEqual(['BTC-PERP-INTX']);
  });
});

describe('Coinbase quotes: exchange times ahead of our clock', () => {
  it('replaces a trade time in the future by the receive time, and warns once per symbol', async () => {
    const h = harness();
    api()
      .get(`${BASE}/products/BIP-20DEC30-CDE/ticker`)
      .query(true)
      .times(3)
      .reply(200, ticker({}, { time: '2030-01-01T00:00:00Z' }));
    for (let i = 0; i < 3; i++) {
      const quote = await h.broker.getQuote('BIP-20DEC30-CDE');
      expect(quote?.ts.toISOString()).toBe(START);
    }
    const warnings = h.logger.at('warn').filter((r) => r.message.startsWith('Exchange time'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields).toMatchObject({ symbol: 'BIP-20DEC30-CDE', maxSkewMs: 5_000 });
  });

  it('keeps a time within the skew, and honours a configured skew', async () => {
    const h = harness({ maxClockSkewMs: 1_000 });
    api()
      .get(`${BASE}/products/BIP-20DEC30-CDE/ticker`)
      .query(true)
      .reply(200, ticker({}, { time: '2026-04-07T14:30:00.900Z' }));
    api()
      .get(`${BASE}/products/BIP-20DEC30-CDE/ticker`)
      .query(true)
      .reply(200, ticker({}, { time: '2026-04-07T14:30:02.000Z' }));
    expect((await h.broker.getQuote('BIP-20DEC30-CDE'))?.ts.toISOString()).toBe('2026-04-07T14:30:00.900Z');
    expect((await h.broker.getQuote('BIP-20DEC30-CDE'))?.ts.toISOString()).toBe(START);
  });

  it('stamps batched quotes (the products list has no trade time) with the receive time', async () => {
    const h = harness();
    api().get(`${BASE}/products`).query(true).reply(200, fixture('products'));
    const quotes = await h.broker.getQuotes(['BIP-20DEC30-CDE', 'BTC-PERP-INTX']);
    expect([...quotes.values()].map((q) => q.ts.toISOString())).toEqual([START, START]);
  });
});

describe('Coinbase products: checked before use', () => {
  it.each([
    ['minSize', { base_min_size: '-1' }],
    ['stepSize', { base_increment: '0' }],
    [
      'contractSize',
      { future_product_details: { ...(products()[0]?.future_product_details as object), contract_size: '5e-324' } },
    ],
  ])('getProduct refuses a bad %s with a ProductSanityError naming the field', async (field, change) => {
    const h = harness();
    api()
      .get(`${BASE}/products/BIP-20DEC30-CDE`)
      .reply(200, { ...products()[0], ...change });
    const error = await caught(h.broker.getProduct('BIP-20DEC30-CDE'));
    expect(error).toBeInstanceOf(ProductSanityError);
    expect((error as ProductSanityError).code).toBe(ErrorCodes.BAD_PRODUCT);
    expect((error as ProductSanityError).field).toBe(field);
  });

  it('listProducts leaves a bad product out with a warning and keeps the others', async () => {
    const h = harness();
    const list = products().map((p, i) => (i === 0 ? { ...p, base_min_size: '-1' } : p));
    api().get(`${BASE}/products`).reply(200, { products: list });
    const mapped = await h.broker.listProducts();
    expect(mapped.map((p) => p.symbol)).not.toContain(products()[0]?.product_id);
    expect(mapped).toHaveLength(list.length - 1);
    expect(h.logger.at('warn').map((r) => r.fields.code)).toEqual([ErrorCodes.BAD_PRODUCT]);
  });
});
