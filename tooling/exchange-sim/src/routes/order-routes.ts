import type { OrderStatus } from '../exchange.js';
import { fillJson, orderJson } from '../wire.js';
import { badRequest, list, notFound, ok, paging, type RouteHandler } from './context.js';

export const createOrder: RouteHandler = (ctx, { body }) => ctx.exchange.createOrder(body);

export const closePosition: RouteHandler = (ctx, { body }) => ctx.exchange.closePosition(body);

export const batchCancel: RouteHandler = (ctx, { body }) => ctx.exchange.cancelOrders(body);

export const getOrder: RouteHandler = (ctx, { params }) => {
  const order = ctx.exchange.orders.get(params[0] ?? '');
  return order ? ok({ order: orderJson(order, ctx.portfolioId) }) : notFound(`order ${params[0]} not found`);
};

/** Newest first, filtered by ids, products, statuses and creation time (start_date/end_date, inclusive). */
export const listOrders: RouteHandler = (ctx, { query }) => {
  const page = paging(query, 100, 1000);
  if (!page) return badRequest('limit must be in [1, 1000] and cursor an offset');
  const ids = list(query, 'order_ids');
  const products = list(query, 'product_ids').map((p) => p.toUpperCase());
  const statuses = list(query, 'order_status') as OrderStatus[];
  const start = query.get('start_date') ? Date.parse(query.get('start_date') ?? '') : undefined;
  const end = query.get('end_date') ? Date.parse(query.get('end_date') ?? '') : undefined;
  if (Number.isNaN(start) || Number.isNaN(end)) return badRequest('start_date and end_date must be RFC 3339 times');
  const all = [...ctx.exchange.orders.values()]
    .reverse()
    .filter(
      (o) =>
        (ids.length === 0 || ids.includes(o.orderId)) &&
        (products.length === 0 || products.includes(o.request.product.id)) &&
        (statuses.length === 0 || statuses.includes(o.status)),
    )
    .filter(
      (o) =>
        (start === undefined || o.createdAt.getTime() >= start) && (end === undefined || o.createdAt.getTime() <= end),
    );
  const rows = all.slice(page.offset, page.offset + page.limit);
  const next = page.offset + rows.length;
  return ok({
    orders: rows.map((o) => orderJson(o, ctx.portfolioId)),
    sequence: '0',
    has_next: next < all.length,
    cursor: next < all.length ? String(next) : '',
  });
};

export const listFills: RouteHandler = (ctx, { query }) => {
  const page = paging(query, 100, 1000);
  if (!page) return badRequest('limit must be in [1, 1000] and cursor an offset');
  const ids = list(query, 'order_ids');
  const products = list(query, 'product_ids').map((p) => p.toUpperCase());
  const all = [...ctx.exchange.fills]
    .reverse()
    .filter(
      (f) => (ids.length === 0 || ids.includes(f.orderId)) && (products.length === 0 || products.includes(f.productId)),
    );
  const rows = all.slice(page.offset, page.offset + page.limit);
  const next = page.offset + rows.length;
  return ok({ fills: rows.map((f) => fillJson(f, ctx.portfolioId)), cursor: next < all.length ? String(next) : '' });
};
