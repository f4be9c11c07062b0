import { Decimal } from '@perps-bot/core';
import { Ledger } from '../ledger.js';
import { readOrderRequest } from '../order-request.js';
import { badRequest, notFound, ok, type RouteHandler } from './context.js';

/** The simulator's taker rate, for preview totals (the same as the matching engine's). */
const TAKER_FEE = new Decimal('0.0006');

/**
 * POST /orders/preview: the create-order body without a client order id; answers the SDK's `PreviewOrderResponse`
 * fields. Nothing is placed. Refusals are listed in `errs` as PreviewFailureReason strings (`PREVIEW_…`); the
 * live API's exact `errs` form (strings or objects) could not be confirmed offline.
 */
export const previewOrder: RouteHandler = (ctx, { body }) => {
  const withId =
    body !== null && typeof body === 'object' && !Array.isArray(body) ? { client_order_id: 'preview', ...body } : body;
  const parsed = readOrderRequest(withId, ctx.catalog);
  if ('badRequest' in parsed) return badRequest(parsed.badRequest);
  const quote = ctx.market.quote(
    typeof (body as { product_id?: unknown }).product_id === 'string'
      ? String((body as { product_id: string }).product_id).toUpperCase()
      : '',
  );
  const answer = (errs: string[], size = new Decimal(0), price = new Decimal(0)) => {
    const notional = 'reject' in parsed ? new Decimal(0) : size.mul(price).mul(Ledger.unit(parsed.product));
    const commission = notional.mul(TAKER_FEE).toDecimalPlaces(8);
    return ok({
      order_total: notional.plus(commission).toFixed(),
      commission_total: commission.toFixed(),
      errs,
      warning: [],
      quote_size: notional.toFixed(),
      base_size: size.toFixed(),
      best_bid: quote?.bid.toFixed() ?? '',
      best_ask: quote?.ask.toFixed() ?? '',
      is_max: false,
      order_margin_total: '',
      leverage: 'reject' in parsed ? '' : parsed.leverage.toFixed(),
      long_leverage: '',
      short_leverage: '',
      slippage: '0',
      preview_id: errs.length === 0 ? `preview-${ctx.exchange.orders.size + 1}` : '',
      current_liquidation_buffer: '',
      projected_liquidation_buffer: '',
      max_leverage: '',
      pnl_configuration: null,
    });
  };
  if ('reject' in parsed) return answer([`PREVIEW_${parsed.reject}`]);
  if (!quote) return answer(['PREVIEW_INVALID_PRODUCT_ID']);
  const size =
    parsed.baseSize ??
    (parsed.quoteSize as Decimal)
      .div(parsed.side === 'BUY' ? quote.ask : quote.bid)
      .toNearest(parsed.product.baseIncrement, Decimal.ROUND_DOWN);
  const price =
    parsed.kind === 'MARKET' ? (parsed.side === 'BUY' ? quote.ask : quote.bid) : (parsed.limitPrice as Decimal);
  const fee = size.mul(price).mul(Ledger.unit(parsed.product)).mul(TAKER_FEE);
  const marks = (id: string) => ctx.exchange.mark(id);
  if (!ctx.exchange.ledger.canAfford(parsed.product, parsed.side, size, price, fee, parsed.leverage, marks)) {
    return answer(
      [parsed.product.kind === 'spot' ? 'PREVIEW_INSUFFICIENT_FUND' : 'PREVIEW_INSUFFICIENT_FUNDS_FOR_FUTURES'],
      size,
      price,
    );
  }
  return answer([], size, price);
};

/**
 * POST /orders/edit {order_id, price, size}: a resting GTC limit order takes the new price and size (SDK
 * `EditOrderResponse`: `success`, `errors[]` of `{edit_failure_reason, preview_failure_reason}`). The live API's
 * queue-priority and partial-fill rules for edits are not simulated (not confirmed offline).
 */
export const editOrder: RouteHandler = (ctx, { body }) => {
  const b = (body ?? {}) as { order_id?: unknown; price?: unknown; size?: unknown };
  const fail = (reason: string) =>
    ok({
      success: false,
      errors: [{ edit_failure_reason: reason, preview_failure_reason: 'UNKNOWN_PREVIEW_FAILURE_REASON' }],
    });
  if (typeof b.order_id !== 'string') return badRequest('order_id is required');
  const order = ctx.exchange.orders.get(b.order_id);
  if (!order) return fail('ORDER_NOT_FOUND');
  if (order.status !== 'OPEN' || order.request.configKey !== 'limit_limit_gtc')
    return fail('CANNOT_EDIT_TO_BELOW_FILLED_SIZE');
  const price = typeof b.price === 'string' && /^\d+(\.\d+)?$/.test(b.price) ? new Decimal(b.price) : undefined;
  const size = typeof b.size === 'string' && /^\d+(\.\d+)?$/.test(b.size) ? new Decimal(b.size) : undefined;
  if (!price || !size || price.isZero() || size.lessThanOrEqualTo(order.filledSize)) return fail('INVALID_EDITED_SIZE');
  if (!price.mod(order.request.product.quoteIncrement).isZero()) return fail('INVALID_EDITED_PRICE');
  const config = order.request.configuration.limit_limit_gtc as Record<string, unknown>;
  const edited = {
    ...order,
    size,
    request: {
      ...order.request,
      limitPrice: price,
      baseSize: size,
      configuration: { limit_limit_gtc: { ...config, base_size: size.toFixed(), limit_price: price.toFixed() } },
    },
  };
  ctx.exchange.orders.set(order.orderId, edited);
  return ok({ success: true, errors: [] });
};

/** GET /portfolios/{uuid}: the breakdown's portfolio and balances (SDK `GetPortfolioBreakdownResponse`; positions left empty). */
export const portfolioBreakdown: RouteHandler = (ctx, { params }) => {
  const uuid = params[0] ?? '';
  const portfolio =
    uuid === ctx.portfolioId
      ? { name: 'Default', uuid, type: 'DEFAULT', deleted: false }
      : uuid === ctx.intxPortfolioId
        ? { name: 'Perpetuals', uuid, type: 'INTX', deleted: false }
        : undefined;
  if (!portfolio) return notFound(`portfolio ${uuid} not found`);
  const usd = ctx.exchange.ledger.balance('USD').available;
  const money = (value: Decimal) => ({ value: value.toFixed(), currency: 'USD' });
  return ok({
    breakdown: {
      portfolio,
      portfolio_balances: {
        total_balance: money(usd),
        total_futures_balance: money(new Decimal(0)),
        total_cash_equivalent_balance: money(usd),
        total_crypto_balance: money(new Decimal(0)),
        futures_unrealized_pnl: money(new Decimal(0)),
        perp_unrealized_pnl: money(new Decimal(0)),
      },
      spot_positions: [],
      perp_positions: [],
      futures_positions: [],
    },
  });
};
