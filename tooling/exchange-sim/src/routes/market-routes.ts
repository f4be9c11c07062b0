import { CANDLE_GRANULARITY_SECONDS, MAX_CANDLES } from '@perps-bot/broker-adapters';
import { Decimal } from '@perps-bot/core';
import { draw } from '../random.js';
import { iso, productJson } from '../wire.js';
import { badRequest, list, notFound, ok, type RouteHandler, type SimContext } from './context.js';

// The adapter's table: the simulator answers exactly the granularities the adapter sends.
const GRANULARITY_SECONDS: Readonly<Record<string, number>> = CANDLE_GRANULARITY_SECONDS;

const productBody = (ctx: SimContext, id: string) => {
  const product = ctx.catalog.get(id);
  const quote = ctx.market.quote(id);
  const stats = ctx.market.stats24(id);
  return product && quote && stats ? productJson(product, quote, stats) : undefined;
};

export const time: RouteHandler = (ctx) => {
  const ms = ctx.now();
  return ok({ iso: new Date(ms).toISOString(), epochSeconds: String(Math.floor(ms / 1000)), epochMillis: String(ms) });
};

export const products: RouteHandler = (ctx, { query }) => {
  const ids = list(query, 'product_ids').map((id) => id.toUpperCase());
  const type = query.get('product_type');
  const expiry = query.get('contract_expiry_type');
  let all = ctx.catalog
    .all()
    .filter((p) => (ids.length === 0 || ids.includes(p.id)) && (!type || (type === 'SPOT') === (p.kind === 'spot')));
  // CFM contracts (perpetual-style included) are EXPIRING; only the legacy INTX perps are PERPETUAL.
  if (expiry)
    all = all.filter((p) => (expiry === 'PERPETUAL' ? p.kind === 'intx' : expiry === 'EXPIRING' && p.kind === 'cfm'));
  const offset = Number(query.get('offset') ?? 0);
  const limit = query.has('limit') ? Number(query.get('limit')) : all.length;
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 0)
    return badRequest('offset and limit must be non-negative integers');
  const page = all.slice(offset, offset + limit).map((p) => productBody(ctx, p.id));
  return ok({ products: page, num_products: all.length });
};

export const product: RouteHandler = (ctx, { params }) => {
  const body = productBody(ctx, params[0] ?? '');
  return body ? ok(body) : notFound(`product ${params[0]} not found`);
};

export const bestBidAsk: RouteHandler = (ctx, { query }) => {
  const ids = list(query, 'product_ids');
  const wanted = ids.length > 0 ? ids : ctx.catalog.ids();
  const pricebooks = wanted.flatMap((id) => {
    const q = ctx.market.quote(id);
    if (!q) return [];
    return [
      {
        product_id: q.productId,
        bids: [{ price: q.bid.toFixed(), size: q.bidSize.toFixed() }],
        asks: [{ price: q.ask.toFixed(), size: q.askSize.toFixed() }],
        time: iso(q.time),
      },
    ];
  });
  return ok({ pricebooks });
};

export const productBook: RouteHandler = (ctx, { query }) => {
  const id = query.get('product_id') ?? '';
  const q = ctx.market.quote(id);
  const p = ctx.catalog.get(id);
  if (!q || !p) return notFound(`product ${id} not found`);
  const depth = Math.min(Number(query.get('limit') ?? 10) || 10, 50);
  const level = (price: Decimal, size: Decimal) => ({ price: price.toFixed(), size: size.toFixed() });
  const bids = Array.from({ length: depth }, (_, i) =>
    level(q.bid.minus(p.quoteIncrement.mul(i)), q.bidSize.mul(i + 1)),
  );
  const asks = Array.from({ length: depth }, (_, i) =>
    level(q.ask.plus(p.quoteIncrement.mul(i)), q.askSize.mul(i + 1)),
  );
  const mid = q.bid.plus(q.ask).div(2);
  return ok({
    pricebook: { product_id: q.productId, bids, asks, time: iso(q.time) },
    last: q.price.toFixed(),
    mid_market: mid.toFixed(),
    spread_bps: q.ask.minus(q.bid).div(mid).mul(10_000).toDecimalPlaces(4).toFixed(),
    spread_absolute: q.ask.minus(q.bid).toFixed(),
  });
};

export const ticker: RouteHandler = (ctx, { params, query }) => {
  const id = params[0] ?? '';
  const q = ctx.market.quote(id);
  if (!q) return notFound(`product ${id} not found`);
  const limit = Number(query.get('limit') ?? 1);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return badRequest('limit must be an integer in [1, 100]');
  const trades = ctx.market.recentTrades(id, limit).map((t) => ({
    trade_id: t.tradeId,
    product_id: q.productId,
    price: t.price.toFixed(),
    size: t.size.toFixed(),
    time: iso(t.time),
    side: t.side,
    exchange: '',
  }));
  return ok({ trades, best_bid: q.bid.toFixed(), best_ask: q.ask.toFixed() });
};

/**
 * Candles are synthesised per bucket from the seed (not from the live path): stable for a given window, on
 * the price grid, newest first, at most 350 per call.
 */
export const candles: RouteHandler = (ctx, { params, query }) => {
  const p = ctx.catalog.get(params[0] ?? '');
  if (!p) return notFound(`product ${params[0]} not found`);
  const g = GRANULARITY_SECONDS[query.get('granularity') ?? ''];
  if (g === undefined) return badRequest('granularity is required (ONE_MINUTE … ONE_DAY)');
  const start = Number(query.get('start'));
  const end = Number(query.get('end'));
  if (!Number.isInteger(start) || !Number.isInteger(end) || end <= start)
    return badRequest('start and end must be UNIX seconds with start < end');
  const first = Math.ceil(start / g) * g;
  const count = Math.floor((end - first) / g) + 1;
  const limit = query.has('limit') ? Number(query.get('limit')) : MAX_CANDLES;
  if (count > MAX_CANDLES || limit > MAX_CANDLES)
    return badRequest(`number of candles requested should be at most ${MAX_CANDLES}`);
  const out = [];
  for (let i = Math.min(count, limit) - 1; i >= 0; i--) {
    const bucket = first + i * g;
    const r = (k: string) => draw(ctx.seed, 'candle', p.id, g, bucket, k);
    const onGrid = (d: Decimal) => d.toNearest(p.quoteIncrement);
    const open = onGrid(p.startPrice.mul(1 + (r('o') - 0.5) * 0.02));
    const close = onGrid(p.startPrice.mul(1 + (r('c') - 0.5) * 0.02));
    const high = Decimal.max(open, close).plus(onGrid(p.startPrice.mul(r('h') * 0.005)));
    const low = Decimal.max(p.quoteIncrement, Decimal.min(open, close).minus(onGrid(p.startPrice.mul(r('l') * 0.005))));
    out.push({
      start: String(bucket),
      low: low.toFixed(),
      high: high.toFixed(),
      open: open.toFixed(),
      close: close.toFixed(),
      volume: (r('v') * 1000).toFixed(4),
      product_id: p.id,
    });
  }
  return ok({ candles: out });
};
