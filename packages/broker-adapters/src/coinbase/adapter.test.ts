import { ConfigError } from '@perps-bot/core';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API_ORIGIN, BASE, START, expectNoSecrets, fixture, harness } from './test-utils.js';

const api = () => nock(API_ORIGIN);
const str = (value: { toFixed(): string } | null | undefined) => value?.toFixed() ?? null;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

describe('CoinbaseBrokerage: products', () => {
  it('maps CFM futures, INTX perps and spot products with decimal sizes and increments', async () => {
    const h = harness();
    api().get(`${BASE}/products`).reply(200, fixture('products'));
    const products = await h.broker.listProducts();
    const bySymbol = new Map(products.map((p) => [p.symbol, p]));

    const bip = bySymbol.get('BIP-20DEC30-CDE');
    expect(bip).toMatchObject({
      baseAsset: 'BTC',
      quoteAsset: 'USD',
      marketType: 'PERPETUAL',
      leverageMax: 10,
      minNotional: null,
    });
    expect([bip?.stepSize, bip?.minSize, bip?.priceIncrement, bip?.contractSize, bip?.fundingRate].map(str)).toEqual([
      '1',
      '1',
      '5', // price_increment wins over quote_increment (0.01) for CFM ticks
      '0.01',
      '0.000011',
    ]);
    expect(bip?.nextFundingTime?.toISOString()).toBe('2026-04-07T15:00:00.000Z');

    const bit = bySymbol.get('BIT-24APR26-CDE');
    expect(bit?.marketType).toBe('FUTURE');
    expect(bit?.expiry?.toISOString()).toBe('2026-04-24T15:00:00.000Z');

    const intx = bySymbol.get('BTC-PERP-INTX');
    expect(intx).toMatchObject({ baseAsset: 'BTC', quoteAsset: 'USDC', marketType: 'PERPETUAL', leverageMax: 20 });
    expect(str(intx?.contractSize)).toBe('1');

    const spot = bySymbol.get('BTC-USD');
    expect(spot).toMatchObject({ marketType: 'SPOT', leverageMax: null, fundingRate: null, expiry: null });
    expect([spot?.stepSize, spot?.minNotional, spot?.priceIncrement].map(str)).toEqual(['0.00000001', '1', '0.01']);
  });

  it('gets one product by id', async () => {
    const h = harness();
    const intx = fixture<{ products: unknown[] }>('products').products[2];
    api()
      .get(`${BASE}/products/BTC-PERP-INTX`)
      .reply(200, intx as object);
    await expect(h.broker.getProduct('BTC-PERP-INTX')).resolves.toMatchObject({
      symbol: 'BTC-PERP-INTX',
      marketType: 'PERPETUAL',
    });
  });
});

describe('CoinbaseBrokerage: quotes and candles', () => {
  it('quotes one symbol from the ticker: last = newest trade, ts = its time', async () => {
    const h = harness();
    api().get(`${BASE}/products/BIP-20DEC30-CDE/ticker`).query({ limit: '1' }).reply(200, fixture('ticker'));
    const quote = await h.broker.getQuote('BIP-20DEC30-CDE');
    expect(quote && [quote.bid, quote.last, quote.ask].map(str)).toEqual(['68925', '68930', '68935']);
    expect(quote?.ts.toISOString()).toBe('2026-04-07T14:30:02.118Z');
  });

  it('answers null when the book has an empty side', async () => {
    const h = harness();
    api()
      .get(`${BASE}/products/BIP-20DEC30-CDE/ticker`)
      .query(true)
      .reply(200, { ...fixture('ticker'), best_ask: '' });
    await expect(h.broker.getQuote('BIP-20DEC30-CDE')).resolves.toBeNull();
  });

  it('quotes many symbols at their last trade price in one signed /products?product_ids=… request', async () => {
    const h = harness();
    let ids: unknown;
    const products = api()
      .get(`${BASE}/products`)
      .query((q) => {
        ids = q.product_ids;
        return true;
      })
      .reply(200, fixture('products'));
    const quotes = await h.broker.getQuotes(['BIP-20DEC30-CDE', 'BTC-PERP-INTX', 'BIP-20DEC30-CDE']);
    expect(products.isDone()).toBe(true);
    expect(ids).toEqual(['BIP-20DEC30-CDE', 'BTC-PERP-INTX']);
    const cfm = quotes.get('BIP-20DEC30-CDE');
    // last is the product's price (the last trade), not a book mid; the list has no book, so bid = ask = last.
    expect(cfm && [cfm.bid, cfm.last, cfm.ask].map(str)).toEqual(['68930', '68930', '68930']);
    expect(cfm?.ts.toISOString()).toBe(START);
    // The fixture lists four products: only the ones asked for are answered.
    expect([...quotes.keys()].sort()).toEqual(['BIP-20DEC30-CDE', 'BTC-PERP-INTX']);
  });

  it('without a key, quotes many symbols from one public /market/products request (bid = ask = last)', async () => {
    const h = harness({ keyType: 'none' });
    let ids: unknown;
    const scope = api()
      .get(`${BASE}/market/products`)
      .query((q) => {
        ids = q.product_ids;
        return true;
      })
      .reply(200, fixture('products'));
    const quotes = await h.broker.getQuotes(['BTC-USD', 'BTC-PERP-INTX']);
    expect(scope.isDone()).toBe(true);
    expect(ids).toEqual(['BTC-USD', 'BTC-PERP-INTX']);
    const spot = quotes.get('BTC-USD');
    expect(spot && [spot.bid, spot.last, spot.ask].map(str)).toEqual(['68901.37', '68901.37', '68901.37']);
    expect([...quotes.keys()].sort()).toEqual(['BTC-PERP-INTX', 'BTC-USD']);
  });

  it('leaves out a listed product without a price (no quote, as a null ticker quote)', async () => {
    const h = harness({ keyType: 'none' });
    const listed = fixture<{ products: Record<string, unknown>[] }>('products');
    const body = {
      ...listed,
      products: listed.products.map((p) => (p.product_id === 'BTC-USD' ? { ...p, price: '' } : p)),
    };
    api().get(`${BASE}/market/products`).query(true).reply(200, body);
    const quotes = await h.broker.getQuotes(['BTC-USD', 'BTC-PERP-INTX']);
    expect([...quotes.keys()]).toEqual(['BTC-PERP-INTX']);
  });

  it('asks in chunks of 100 ids, all in flight together', async () => {
    const h = harness({ keyType: 'none', rateLimit: false });
    const sizes: number[] = [];
    api()
      .get(`${BASE}/market/products`)
      .query((q) => {
        sizes.push((q.product_ids as string[]).length);
        return true;
      })
      .times(3)
      .reply(200, { products: [] });
    const symbols = Array.from({ length: 250 }, (_, i) => `S${i}-USD`);
    await h.broker.getQuotes(symbols);
    expect(sizes.sort((a, b) => a - b)).toEqual([50, 100, 100]);
  });

  it('asks for the last N candles ending now and returns them oldest first', async () => {
    const h = harness();
    let query: Record<string, unknown> = {};
    api()
      .get(`${BASE}/products/BIP-20DEC30-CDE/candles`)
      .query((q) => {
        query = q;
        return true;
      })
      .reply(200, fixture('candles'));
    const candles = await h.broker.getCandles('BIP-20DEC30-CDE', '1m', 3);
    const end = Date.parse(START) / 1000;
    expect(query).toEqual({ start: String(end - 180), end: String(end), granularity: 'ONE_MINUTE', limit: '3' });
    expect(candles.map((c) => c.ts.getTime() / 1000)).toEqual([1775572200, 1775572260, 1775572320]);
    expect(candles.map((c) => str(c.close))).toEqual(['68890', '68915', '68930']);
    await expect(h.broker.getCandles('BIP-20DEC30-CDE', 'fortnightly', 3)).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('CoinbaseBrokerage: balances and positions', () => {
  it('follows the accounts cursor and reports total = available + hold', async () => {
    const h = harness();
    api()
      .get(`${BASE}/accounts`)
      .query({ limit: '250' })
      .reply(200, fixture('accounts-page1'))
      .get(`${BASE}/accounts`)
      .query({ limit: '250', cursor: 'page-2' })
      .reply(200, fixture('accounts-page2'));
    const balances = await h.broker.listBalances();
    expect(balances.map((b) => [b.asset, str(b.available), str(b.hold), str(b.total)])).toEqual([
      ['USD', '25000.5', '1000', '26000.5'],
      ['BTC', '0.12345678', '0', '0.12345678'],
    ]);
  });

  it('reads CFM positions (bare strings or money objects) and INTX positions, signed by side', async () => {
    const h = harness({ derivatives: { intxPortfolioUuid: '018f4ba6-5d73-7c9e-a4b5-1c39e1c20c8b' } });
    api()
      .get(`${BASE}/cfm/positions`)
      .reply(200, fixture('cfm-positions'))
      .get(`${BASE}/intx/positions/018f4ba6-5d73-7c9e-a4b5-1c39e1c20c8b`)
      .reply(200, fixture('intx-positions'));
    const positions = await h.broker.listPositions();
    expect(
      positions.map((p) => [
        p.symbol,
        p.side,
        str(p.quantity),
        str(p.entryPrice),
        str(p.markPrice),
        str(p.unrealizedPnl),
        p.leverage,
      ]),
    ).toEqual([
      ['BIP-20DEC30-CDE', 'long', '2', '68800', '68930', '2.6', null],
      ['BIT-24APR26-CDE', 'short', '-3', '69500', '69010', '14.7', null], // leverage is not a CFM position field
      ['BTC-PERP-INTX', 'short', '-0.05', '68700', '68900.1', '-10.01', 3],
    ]);
  });

  it('skips CFM when told to and exposes the margin summaries', async () => {
    const h = harness({ derivatives: { cfm: false } });
    await expect(h.broker.listPositions()).resolves.toEqual([]); // no request made: nock would refuse it
    api()
      .get(`${BASE}/cfm/balance_summary`)
      .reply(200, fixture('cfm-balance-summary'))
      .get(`${BASE}/intx/portfolio/p-1`)
      .reply(200, fixture('intx-portfolio'));
    const cfm = await h.broker.rest.getCfmBalanceSummary();
    expect(
      [cfm.futures_buying_power.value, cfm.available_margin.value, cfm.liquidation_buffer_percentage].map(str),
    ).toEqual(['18250.75', '3621.9', '625.45']);
    const intx = await h.broker.rest.getIntxPortfolioSummary('p-1');
    expect(str(intx.buying_power.value)).toBe('13500');
  });
});

describe('CoinbaseBrokerage: connection', () => {
  it('connects when the API answers and the key is accepted', async () => {
    const h = harness();
    const scope = api()
      .get(`${BASE}/time`)
      .reply(200, fixture('server-time'))
      .get(`${BASE}/accounts`)
      .query({ limit: '1' })
      .reply(200, fixture('accounts-page2'));
    await expect(h.broker.connect()).resolves.toBe(true);
    expect(scope.isDone()).toBe(true);
  });

  it('validateConnection answers false on a refused key and logs the code, not the key', async () => {
    const h = harness();
    api()
      .get(`${BASE}/time`)
      .reply(200, fixture('server-time'))
      .get(`${BASE}/accounts`)
      .query(true)
      .reply(401, fixture('error-401'));
    await expect(h.broker.validateConnection()).resolves.toBe(false);
    const [warning] = h.logger.at('warn');
    expect(warning?.fields).toEqual({ code: 'AUTH_FAILED' });
    expectNoSecrets(JSON.stringify(h.logger.records), h.key.secrets);
  });
});
