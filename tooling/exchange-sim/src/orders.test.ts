import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { call, getJson, startTestSim } from './test-utils.js';

const dec = z.string().regex(/^-?\d+(\.\d+)?$/);
const created = z.object({
  success: z.literal(true),
  success_response: z.object({
    order_id: z.string().uuid(),
    product_id: z.string(),
    side: z.enum(['BUY', 'SELL']),
    client_order_id: z.string(),
  }),
  order_configuration: z.record(z.record(z.unknown())),
});
const rejected = z.object({
  success: z.literal(false),
  failure_reason: z.string(),
  error_response: z.object({ error: z.string(), message: z.string(), error_details: z.string() }),
});
const order = z.object({
  order_id: z.string(),
  product_id: z.string(),
  client_order_id: z.string(),
  side: z.enum(['BUY', 'SELL']),
  status: z.enum(['OPEN', 'FILLED', 'CANCELLED', 'EXPIRED']),
  time_in_force: z.string(),
  created_time: z.string(),
  filled_size: dec,
  average_filled_price: dec,
  number_of_fills: z.string(),
  total_fees: dec,
  order_type: z.enum(['MARKET', 'LIMIT', 'STOP_LIMIT']),
  order_configuration: z.record(z.record(z.unknown())),
  leverage: dec,
  margin_type: z.string(),
  product_type: z.enum(['SPOT', 'FUTURE']),
});
const fill = z.object({
  entry_id: z.string(),
  trade_id: z.string(),
  order_id: z.string(),
  trade_time: z.string(),
  price: dec,
  size: dec,
  commission: dec,
  product_id: z.string(),
  side: z.enum(['BUY', 'SELL']),
  liquidity_indicator: z.enum(['MAKER', 'TAKER']),
});

const market = (
  clientId: string,
  productId: string,
  side: 'BUY' | 'SELL',
  size: string,
  extra: Record<string, unknown> = {},
) => ({
  client_order_id: clientId,
  product_id: productId,
  side,
  order_configuration: { market_market_ioc: { base_size: size } },
  ...extra,
});
const limit = (
  clientId: string,
  productId: string,
  side: 'BUY' | 'SELL',
  size: string,
  price: string,
  postOnly = false,
) => ({
  client_order_id: clientId,
  product_id: productId,
  side,
  order_configuration: { limit_limit_gtc: { base_size: size, limit_price: price, post_only: postOnly } },
});

describe('orders', () => {
  it('fills a market order at the touch and shows it in get, list, fills and positions', async () => {
    const sim = await startTestSim();
    const ask = sim.quote('BTC-PERP-INTX')!.ask.toFixed();
    const res = await call(sim, 'POST', '/orders', {
      body: market('c-1', 'BTC-PERP-INTX', 'BUY', '0.01', { leverage: '3', margin_type: 'CROSS' }),
    });
    expect(res.status).toBe(200);
    const id = created.parse(res.json).success_response.order_id;

    const got = order.parse((await getJson(sim, `/orders/historical/${id}`)).order);
    expect(got).toMatchObject({
      status: 'FILLED',
      filled_size: '0.01',
      average_filled_price: ask,
      order_type: 'MARKET',
      leverage: '3',
      client_order_id: 'c-1',
    });
    const listed = z
      .object({ orders: z.array(order), has_next: z.boolean() })
      .parse(await getJson(sim, '/orders/historical/batch?product_ids=BTC-PERP-INTX'));
    expect(listed.orders.map((o) => o.order_id)).toEqual([id]);
    const fills = z
      .object({ fills: z.array(fill) })
      .parse(await getJson(sim, `/orders/historical/fills?order_ids=${id}`));
    expect(fills.fills).toHaveLength(1);
    expect(fills.fills[0]).toMatchObject({ price: ask, size: '0.01', liquidity_indicator: 'TAKER' });

    const positions = z
      .object({ positions: z.array(z.object({ product_id: z.string(), net_size: dec, position_side: z.string() })) })
      .parse(await getJson(sim, `/intx/positions/${sim.intxPortfolioId}`));
    expect(positions.positions).toEqual([
      expect.objectContaining({ product_id: 'BTC-PERP-INTX', net_size: '0.01', position_side: 'POSITION_SIDE_LONG' }),
    ]);
  });

  it('is idempotent on client_order_id: a repeat returns the same order and places nothing', async () => {
    const sim = await startTestSim();
    const body = market('same-id', 'BIP-20DEC30-CDE', 'BUY', '2');
    const first = created.parse((await call(sim, 'POST', '/orders', { body })).json);
    const second = created.parse((await call(sim, 'POST', '/orders', { body })).json);
    expect(second.success_response.order_id).toBe(first.success_response.order_id);
    expect(sim.stats().orders).toBe(1);
    const positions = z
      .object({ positions: z.array(z.object({ number_of_contracts: dec, side: z.string() })) })
      .parse(await getJson(sim, '/cfm/positions'));
    expect(positions.positions).toEqual([expect.objectContaining({ number_of_contracts: '2', side: 'LONG' })]);
    const other = created.parse(
      (await call(sim, 'POST', '/orders', { body: market('other-id', 'BIP-20DEC30-CDE', 'BUY', '2') })).json,
    );
    expect(other.success_response.order_id).not.toBe(first.success_response.order_id);
  });

  it('rests a limit order away from the market, fills it when the market comes to it, and cancels per order', async () => {
    const sim = await startTestSim();
    const far = sim.quote('BTC-USD')!.bid.minus(5000).toFixed();
    const resting = created.parse(
      (await call(sim, 'POST', '/orders', { body: limit('l-1', 'BTC-USD', 'BUY', '0.001', far) })).json,
    ).success_response.order_id;
    expect(order.parse((await getJson(sim, `/orders/historical/${resting}`)).order).status).toBe('OPEN');
    const open = z
      .object({ orders: z.array(order) })
      .parse(await getJson(sim, '/orders/historical/batch?order_status=OPEN'));
    expect(open.orders.map((o) => o.order_id)).toEqual([resting]);

    const res = await call(sim, 'POST', '/orders/batch_cancel', { body: { order_ids: [resting, resting, 'missing'] } });
    const results = z
      .object({
        results: z.array(z.object({ success: z.boolean(), failure_reason: z.string(), order_id: z.string() })),
      })
      .parse(res.json).results;
    expect(results.map((r) => [r.success, r.failure_reason])).toEqual([
      [true, 'UNKNOWN_CANCEL_FAILURE_REASON'],
      [false, 'DUPLICATE_CANCEL_REQUEST'],
      [false, 'UNKNOWN_CANCEL_ORDER'],
    ]);

    // A buy limit just above the current ask becomes marketable at once: a taker fill at the ask.
    const q = sim.quote('BTC-USD')!;
    const taker = created.parse(
      (await call(sim, 'POST', '/orders', { body: limit('l-2', 'BTC-USD', 'BUY', '0.001', q.ask.plus(1).toFixed()) }))
        .json,
    ).success_response.order_id;
    expect(order.parse((await getJson(sim, `/orders/historical/${taker}`)).order)).toMatchObject({
      status: 'FILLED',
      average_filled_price: q.ask.toFixed(),
    });

    // A sell limit a little above the ask rests, then fills at its limit (maker) once the walk reaches it.
    const near = sim.quote('BTC-USD')!.ask.plus('0.05').toFixed();
    const maker = created.parse(
      (await call(sim, 'POST', '/orders', { body: limit('l-3', 'BTC-USD', 'SELL', '0.001', near) })).json,
    ).success_response.order_id;
    for (
      let i = 0;
      i < 2000 && order.parse((await getJson(sim, `/orders/historical/${maker}`)).order).status === 'OPEN';
      i += 50
    )
      sim.advance(50);
    const filled = order.parse((await getJson(sim, `/orders/historical/${maker}`)).order);
    expect(filled).toMatchObject({ status: 'FILLED', average_filled_price: near });
    const fills = z
      .object({ fills: z.array(fill) })
      .parse(await getJson(sim, `/orders/historical/fills?order_ids=${maker}`));
    expect(fills.fills[0]?.liquidity_indicator).toBe('MAKER');
  });

  it.each([
    [
      'an unsupported configuration',
      {
        client_order_id: 'r1',
        product_id: 'BTC-USD',
        side: 'BUY',
        order_configuration: { twap_limit_gtd: { base_size: '1' } },
      },
      'UNSUPPORTED_ORDER_CONFIGURATION',
    ],
    ['an unknown product', market('r2', 'DOGE-PERP-NOPE', 'BUY', '1'), 'INVALID_PRODUCT_ID'],
    ['a size off the increment', market('r3', 'BIP-20DEC30-CDE', 'BUY', '1.5'), 'INVALID_SIZE_PRECISION'],
    ['a price off the increment', limit('r4', 'BIP-20DEC30-CDE', 'BUY', '1', '50001'), 'INVALID_PRICE_PRECISION'],
    ['too little money', market('r5', 'BTC-USD', 'BUY', '100'), 'INSUFFICIENT_FUND'],
    ['selling coins it does not have', market('r6', 'BTC-USD', 'SELL', '1'), 'INSUFFICIENT_FUND'],
    [
      'a post-only order that would take',
      limit('r7', 'BTC-USD', 'BUY', '0.001', '60000', true),
      'INVALID_LIMIT_PRICE_POST_ONLY',
    ],
    ['leverage above the maximum', market('r9', 'BTC-PERP-INTX', 'BUY', '0.01', { leverage: '50' }), 'INVALID_REQUEST'],
  ])('rejects %s with a success:false body', async (_name, body, reason) => {
    const sim = await startTestSim();
    const res = await call(sim, 'POST', '/orders', { body });
    expect(res.status).toBe(200);
    expect(rejected.parse(res.json).error_response.error).toBe(reason);
    expect(sim.stats().orders).toBe(0);
  });

  it('answers a body that is no order at all with 400 INVALID_ARGUMENT', async () => {
    const sim = await startTestSim();
    for (const body of [
      {},
      { client_order_id: 'x', product_id: 'BTC-USD', side: 'HOLD', order_configuration: {} },
      market('y', 'BTC-USD', 'BUY', '0.1', { order_configuration: { market_market_ioc: { base_size: 0.1 } } }),
    ]) {
      const res = await call(sim, 'POST', '/orders', { body });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: 'INVALID_ARGUMENT' });
    }
  });

  it('ignores reduce_only (not a create-order field): a "reduce-only" SELL with no position opens a short', async () => {
    const sim = await startTestSim();
    created.parse(
      (
        await call(sim, 'POST', '/orders', {
          body: market('ro1', 'BIP-20DEC30-CDE', 'SELL', '2', { reduce_only: true }),
        })
      ).json,
    );
    const positions = z
      .object({
        positions: z.array(z.object({ product_id: z.string(), number_of_contracts: z.string(), side: z.string() })),
      })
      .parse(await getJson(sim, '/cfm/positions'));
    expect(positions.positions).toMatchObject([
      { product_id: 'BIP-20DEC30-CDE', number_of_contracts: '2', side: 'SHORT' },
    ]);
  });

  it('closes a position with an opposite order, and books the realised PnL', async () => {
    const sim = await startTestSim();
    created.parse((await call(sim, 'POST', '/orders', { body: market('o1', 'ETP-20DEC30-CDE', 'SELL', '3') })).json);
    created.parse((await call(sim, 'POST', '/orders', { body: market('o2', 'ETP-20DEC30-CDE', 'BUY', '3') })).json);
    const positions = z.object({ positions: z.array(z.unknown()) }).parse(await getJson(sim, '/cfm/positions'));
    expect(positions.positions).toEqual([]);
    const summary = (await getJson(sim, '/cfm/balance_summary')).balance_summary as Record<string, { value: string }>;
    // Sold at the bid, bought back at the ask: the spread and two taker fees are lost.
    expect(Number(summary.daily_realized_pnl?.value)).toBeLessThan(0);
    expect(Number(summary.total_usd_balance?.value)).toBeLessThan(100000);
  });
});
