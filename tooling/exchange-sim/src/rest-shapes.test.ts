import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call, getJson, startTestSim } from './test-utils.js';

// Small schemas of the documented shapes: every number is a decimal string, money is {value, currency}.
const dec = z.string().regex(/^-?\d+(\.\d+)?$/);
const money = z.object({ value: dec, currency: z.string().min(1) });
const isoTime = z.string().refine((t) => !Number.isNaN(Date.parse(t)), 'not a time');

const product = z.object({
  product_id: z.string(),
  price: dec,
  base_increment: dec,
  quote_increment: dec,
  price_increment: dec,
  base_min_size: dec,
  base_max_size: dec,
  quote_min_size: dec,
  product_type: z.enum(['SPOT', 'FUTURE']),
  product_venue: z.enum(['CBE', 'FCM', 'INTX']),
  base_currency_id: z.string(),
  quote_currency_id: z.string(),
  trading_disabled: z.boolean(),
  future_product_details: z
    .object({
      // CFM (perpetual-style included) is EXPIRING without perpetual_details; the legacy INTX perps PERPETUAL.
      contract_expiry_type: z.enum(['PERPETUAL', 'EXPIRING']),
      contract_size: dec,
      funding_interval: z.string(),
      funding_rate: dec,
      funding_time: isoTime,
      perpetual_details: z.object({ max_leverage: dec, funding_rate: dec, open_interest: dec }).nullable(),
    })
    .nullable(),
});
const level = z.object({ price: dec, size: dec });
const pricebook = z.object({
  product_id: z.string(),
  bids: z.array(level).min(1),
  asks: z.array(level).min(1),
  time: isoTime,
});
const account = z.object({
  uuid: z.string().uuid(),
  currency: z.string(),
  available_balance: money,
  hold: money,
  type: z.enum(['ACCOUNT_TYPE_FIAT', 'ACCOUNT_TYPE_CRYPTO']),
  active: z.boolean(),
});

describe('REST shapes', () => {
  it('GET /time', async () => {
    const sim = await startTestSim();
    const body = z
      .object({ iso: isoTime, epochSeconds: z.string().regex(/^\d+$/), epochMillis: z.string().regex(/^\d+$/) })
      .parse(await getJson(sim, '/time'));
    expect(Number(body.epochMillis)).toBeGreaterThan(1_700_000_000_000);
  });

  it('GET /products lists the brief products; product_type filters', async () => {
    const sim = await startTestSim();
    const body = z
      .object({ products: z.array(product), num_products: z.number() })
      .parse(await getJson(sim, '/products'));
    expect(body.products.map((p) => p.product_id)).toEqual(
      expect.arrayContaining(['BTC-USD', 'BIP-20DEC30-CDE', 'ETP-20DEC30-CDE', 'BTC-PERP-INTX']),
    );
    const futures = z.object({ products: z.array(product) }).parse(await getJson(sim, '/products?product_type=FUTURE'));
    expect(futures.products.every((p) => p.product_type === 'FUTURE')).toBe(true);
    expect(futures.products.length).toBeLessThan(body.products.length);
  });

  it('serves the CFM perpetual-style futures (then spot) by default, and no retired INTX perp', async () => {
    const sim = await startTestSim({ products: undefined });
    const body = z.object({ products: z.array(product) }).parse(await getJson(sim, '/products'));
    expect(body.products.map((p) => p.product_id)).toEqual([
      'BIP-20DEC30-CDE',
      'ETP-20DEC30-CDE',
      'BTC-USD',
      'ETH-USD',
    ]);
  });

  it('GET /products/{id}: a flat product; CFM nano contracts in contracts', async () => {
    const sim = await startTestSim();
    const bip = product.parse(await getJson(sim, '/products/BIP-20DEC30-CDE'));
    expect(bip.future_product_details?.contract_size).toBe('0.01');
    expect(bip.product_venue).toBe('FCM');
    // As the exchange lists the perpetual-style futures: EXPIRING, quote_increment 0.01, the tick in price_increment.
    expect([
      bip.product_type,
      bip.future_product_details?.contract_expiry_type,
      bip.quote_increment,
      bip.price_increment,
    ]).toEqual(['FUTURE', 'EXPIRING', '0.01', '5']);
    expect(bip.future_product_details?.perpetual_details).toBeNull();
    const intx = product.parse(await getJson(sim, '/products/BTC-PERP-INTX'));
    expect(intx.quote_currency_id).toBe('USDC');
    expect(product.parse(await getJson(sim, '/products/BTC-USD')).future_product_details).toBeNull();
    const missing = await call(sim, 'GET', '/products/NOPE-USD');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({ error: 'NOT_FOUND' });
  });

  it('GET /best_bid_ask with repeated product_ids returns one pricebook each, best bid below best ask', async () => {
    const sim = await startTestSim();
    const body = z
      .object({ pricebooks: z.array(pricebook) })
      .parse(await getJson(sim, '/best_bid_ask?product_ids=BTC-USD&product_ids=BTC-PERP-INTX'));
    expect(body.pricebooks.map((b) => b.product_id)).toEqual(['BTC-USD', 'BTC-PERP-INTX']);
    for (const b of body.pricebooks) expect(Number(b.bids[0]?.price)).toBeLessThan(Number(b.asks[0]?.price));
  });

  it('GET /products/{id}/ticker: trades newest first and the best bid/ask, moving with the market', async () => {
    const sim = await startTestSim();
    const schema = z.object({
      trades: z.array(
        z.object({
          trade_id: z.string(),
          product_id: z.string(),
          price: dec,
          size: dec,
          time: isoTime,
          side: z.enum(['BUY', 'SELL']),
        }),
      ),
      best_bid: dec,
      best_ask: dec,
    });
    const before = schema.parse(await getJson(sim, '/products/BTC-PERP-INTX/ticker?limit=3'));
    sim.advance(5);
    const after = schema.parse(await getJson(sim, '/products/BTC-PERP-INTX/ticker?limit=3'));
    expect(after.trades).toHaveLength(3);
    expect(after.trades.map((t) => Number(t.trade_id))).toEqual([5, 4, 3]);
    expect(after.trades[0]?.price).toBe(sim.quote('BTC-PERP-INTX')?.price.toFixed());
    expect(before.trades[0]?.trade_id).toBe('0');
  });

  it('GET /products/{id}/candles: UNIX-second starts, newest first, at most 350', async () => {
    const sim = await startTestSim();
    const candle = z.object({
      start: z.string().regex(/^\d+$/),
      low: dec,
      high: dec,
      open: dec,
      close: dec,
      volume: dec,
    });
    const body = z
      .object({ candles: z.array(candle) })
      .parse(await getJson(sim, '/products/BTC-USD/candles?start=1767225600&end=1767229200&granularity=FIVE_MINUTE'));
    expect(body.candles).toHaveLength(13);
    expect(Number(body.candles[0]?.start)).toBeGreaterThan(Number(body.candles[1]?.start));
    for (const c of body.candles) expect(Number(c.low)).toBeLessThanOrEqual(Math.min(Number(c.open), Number(c.close)));
    const tooMany = await call(sim, 'GET', '/products/BTC-USD/candles?start=0&end=1767229200&granularity=ONE_MINUTE');
    expect(tooMany.status).toBe(400);
  });

  it('GET /products/{id}/candles refuses a granularity the adapter never sends (FOUR_HOUR is unconfirmed)', async () => {
    const sim = await startTestSim();
    const window = 'start=1767225600&end=1767311999';
    const refused = await call(sim, 'GET', `/products/BTC-USD/candles?${window}&granularity=FOUR_HOUR`);
    expect(refused.status).toBe(400);
    const sixHours = await call(sim, 'GET', `/products/BTC-USD/candles?${window}&granularity=SIX_HOUR`);
    expect(sixHours.status).toBe(200);
  });

  it('GET /accounts pages with limit and cursor', async () => {
    const sim = await startTestSim();
    const page = z.object({ accounts: z.array(account), has_next: z.boolean(), cursor: z.string(), size: z.number() });
    const first = page.parse(await getJson(sim, '/accounts?limit=2'));
    expect(first.accounts).toHaveLength(2);
    expect(first.has_next).toBe(true);
    const second = page.parse(await getJson(sim, `/accounts?limit=250&cursor=${first.cursor}`));
    expect(second.has_next).toBe(false);
    const all = [...first.accounts, ...second.accounts].map((a) => a.currency);
    expect(all).toEqual(expect.arrayContaining(['USD', 'USDC']));
    expect(new Set(all).size).toBe(all.length);
  });

  it('GET /cfm/balance_summary, /cfm/positions, /intx/positions/{uuid}, /portfolios', async () => {
    const sim = await startTestSim();
    const summary = z.object({
      balance_summary: z.object({
        futures_buying_power: money,
        total_usd_balance: money,
        cbi_usd_balance: money,
        cfm_usd_balance: money,
        unrealized_pnl: money,
        daily_realized_pnl: money,
        initial_margin: money,
        available_margin: money,
        liquidation_buffer_amount: money,
        liquidation_buffer_percentage: dec,
      }),
    });
    expect(summary.parse(await getJson(sim, '/cfm/balance_summary')).balance_summary.total_usd_balance.value).toBe(
      '100000',
    );
    expect(z.object({ positions: z.array(z.unknown()) }).parse(await getJson(sim, '/cfm/positions')).positions).toEqual(
      [],
    );
    const portfolios = z
      .object({ portfolios: z.array(z.object({ uuid: z.string(), type: z.string() })) })
      .parse(await getJson(sim, '/portfolios'));
    expect(portfolios.portfolios.find((p) => p.type === 'INTX')?.uuid).toBe(sim.intxPortfolioId);
    const intx = z
      .object({ positions: z.array(z.unknown()), summary: z.object({ buying_power: money, total_balance: money }) })
      .parse(await getJson(sim, `/intx/positions/${sim.intxPortfolioId}`));
    expect(intx.summary.total_balance).toEqual({ value: '100000', currency: 'USDC' });
    expect((await call(sim, 'GET', '/intx/positions/not-a-portfolio')).status).toBe(404);
  });

  it('answers unknown paths with 404 and wrong methods with 405, in the error schema', async () => {
    const sim = await startTestSim();
    expect((await call(sim, 'GET', '/nowhere')).status).toBe(404);
    const wrong = await call(sim, 'GET', '/orders');
    expect(wrong.status).toBe(405);
    expect(wrong.json).toMatchObject({ error: 'INVALID_ARGUMENT' });
  });
});
