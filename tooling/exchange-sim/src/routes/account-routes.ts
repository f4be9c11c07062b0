import { Decimal } from '@perps-bot/core';
import { Ledger, type SimPosition } from '../ledger.js';
import { simUuid } from '../random.js';
import { accountJson, cfmPositionJson, intxPositionJson, money } from '../wire.js';
import { badRequest, notFound, ok, paging, type RouteHandler, type SimContext } from './context.js';

const ZERO = new Decimal(0);

function accounts(ctx: SimContext) {
  return [...ctx.exchange.ledger.balances.entries()].map(([currency, balance]) =>
    accountJson(simUuid(ctx.seed, 'account', currency), currency, balance, ctx.portfolioId, ctx.createdAt),
  );
}

export const listAccounts: RouteHandler = (ctx, { query }) => {
  const page = paging(query, 49, 250);
  if (!page) return badRequest('limit must be in [1, 250] and cursor an offset');
  const all = accounts(ctx);
  const rows = all.slice(page.offset, page.offset + page.limit);
  const next = page.offset + rows.length;
  return ok({
    accounts: rows,
    has_next: next < all.length,
    cursor: next < all.length ? String(next) : '',
    size: rows.length,
  });
};

export const getAccount: RouteHandler = (ctx, { params }) => {
  const account = accounts(ctx).find((a) => a.uuid === params[0]);
  return account ? ok({ account }) : notFound(`account ${params[0]} not found`);
};

export const portfolios: RouteHandler = (ctx) =>
  ok({
    portfolios: [
      { name: 'Default', uuid: ctx.portfolioId, type: 'DEFAULT', deleted: false },
      { name: 'Perpetuals', uuid: ctx.intxPortfolioId, type: 'INTX', deleted: false },
    ],
  });

/**
 * The positions an answer shows: the ledger's, or with the `positions` faults on, the sizes of an earlier
 * moment (stale or lagging fills) on the current entries and marks.
 */
function positionsOf(ctx: SimContext, kind: 'cfm' | 'intx'): SimPosition[] {
  const fault = ctx.positionFaults();
  const live = [...ctx.exchange.ledger.positions.values()].filter((p) => p.product.kind === kind);
  if (!fault?.stale && !fault?.lagFills) return live.filter((p) => !p.qty.isZero());
  const sizes = ctx.exchange.positionSizes(fault);
  const out: SimPosition[] = [];
  for (const [id, qty] of sizes) {
    const product = ctx.catalog.get(id);
    if (!product || product.kind !== kind || qty.isZero()) continue;
    const current = ctx.exchange.ledger.positions.get(id);
    out.push({
      product,
      qty,
      entry: current?.entry ?? ctx.exchange.mark(id),
      leverage: current?.leverage ?? new Decimal(1),
      marginType: current?.marginType ?? 'CROSS',
      realizedToday: current?.realizedToday ?? ZERO,
    });
  }
  return out;
}

export const cfmBalanceSummary: RouteHandler = (ctx) => {
  const { ledger } = ctx.exchange;
  const marks = (id: string) => ctx.exchange.mark(id);
  let unrealized = ZERO;
  let initialMargin = ZERO;
  let realized = ZERO;
  for (const p of ledger.positions.values()) {
    if (p.product.kind !== 'cfm') continue;
    // Closed positions still count for today's realised PnL.
    realized = realized.plus(p.realizedToday);
    unrealized = unrealized.plus(ledger.unrealized(p, marks(p.product.id)));
    initialMargin = initialMargin.plus(Ledger.initialMargin(p, marks(p.product.id)));
  }
  const cash = ledger.balance('USD').available;
  const available = ledger.availableMargin('USD', marks);
  const equity = cash.plus(unrealized);
  const usd = (d: Decimal) => money(d.toDecimalPlaces(8), 'USD');
  return ok({
    balance_summary: {
      futures_buying_power: usd(Decimal.max(available, ZERO)),
      total_usd_balance: usd(equity),
      cbi_usd_balance: usd(cash),
      cfm_usd_balance: usd(ZERO),
      total_open_orders_hold_amount: usd(ZERO),
      unrealized_pnl: usd(unrealized),
      daily_realized_pnl: usd(realized),
      initial_margin: usd(initialMargin),
      available_margin: usd(available),
      liquidation_threshold: usd(initialMargin.div(2)),
      liquidation_buffer_amount: usd(equity.minus(initialMargin.div(2))),
      liquidation_buffer_percentage: initialMargin.isZero()
        ? '1000'
        : equity.div(initialMargin.div(2)).mul(100).toDecimalPlaces(2).toFixed(),
      intraday_margin_window_measure: {
        margin_window_type: 'FCM_MARGIN_WINDOW_TYPE_INTRADAY',
        margin_level: 'MARGIN_LEVEL_TYPE_BASE',
        initial_margin: initialMargin.toFixed(),
        maintenance_margin: initialMargin.div(2).toFixed(),
        liquidation_buffer_percentage: '0',
        total_hold: '0',
        futures_buying_power: available.toFixed(),
      },
      overnight_margin_window_measure: {
        margin_window_type: 'FCM_MARGIN_WINDOW_TYPE_OVERNIGHT',
        margin_level: 'MARGIN_LEVEL_TYPE_BASE',
        initial_margin: initialMargin.mul(2).toFixed(),
        maintenance_margin: initialMargin.toFixed(),
        liquidation_buffer_percentage: '0',
        total_hold: '0',
        futures_buying_power: available.toFixed(),
      },
    },
  });
};

export const cfmPositions: RouteHandler = (ctx) =>
  ok({ positions: positionsOf(ctx, 'cfm').map((p) => cfmJson(ctx, p)) });

export const cfmPosition: RouteHandler = (ctx, { params }) => {
  const p = positionsOf(ctx, 'cfm').find((x) => x.product.id === (params[0] ?? '').toUpperCase());
  return p ? ok({ position: cfmJson(ctx, p) }) : notFound(`no position in ${params[0]}`);
};

function cfmJson(ctx: SimContext, p: SimPosition) {
  const mark = ctx.exchange.mark(p.product.id);
  return cfmPositionJson(p, mark, ctx.exchange.ledger.unrealized(p, mark));
}

function intxJson(ctx: SimContext, p: SimPosition) {
  const mark = ctx.exchange.mark(p.product.id);
  return intxPositionJson(p, mark, ctx.exchange.ledger.unrealized(p, mark), ctx.intxPortfolioId);
}

function intxSummary(ctx: SimContext) {
  const { ledger } = ctx.exchange;
  const marks = (id: string) => ctx.exchange.mark(id);
  const unrealized = positionsOf(ctx, 'intx').reduce(
    (sum, p) => sum.plus(ledger.unrealized(p, marks(p.product.id))),
    ZERO,
  );
  const total = ledger.balance('USDC').available.plus(unrealized);
  const available = Decimal.max(ledger.availableMargin('USDC', marks), ZERO);
  const usdc = (d: Decimal) => money(d.toDecimalPlaces(8), 'USDC');
  return {
    unrealized_pnl: usdc(unrealized),
    buying_power: usdc(available),
    total_balance: usdc(total),
    max_withdrawal_amount: usdc(available),
  };
}

export const intxPositions: RouteHandler = (ctx, { params }) => {
  if (params[0] !== ctx.intxPortfolioId) return notFound(`portfolio ${params[0]} not found`);
  return ok({ positions: positionsOf(ctx, 'intx').map((p) => intxJson(ctx, p)), summary: intxSummary(ctx) });
};

export const intxPosition: RouteHandler = (ctx, { params }) => {
  if (params[0] !== ctx.intxPortfolioId) return notFound(`portfolio ${params[0]} not found`);
  const p = positionsOf(ctx, 'intx').find((x) => x.product.id === (params[1] ?? '').toUpperCase());
  return p ? ok({ position: intxJson(ctx, p) }) : notFound(`no position in ${params[1]}`);
};

export const intxPortfolio: RouteHandler = (ctx, { params }) => {
  if (params[0] !== ctx.intxPortfolioId) return notFound(`portfolio ${params[0]} not found`);
  const summary = intxSummary(ctx);
  return ok({
    portfolios: [
      {
        portfolio_uuid: ctx.intxPortfolioId,
        collateral: summary.total_balance.value,
        position_notional: '0',
        pending_fees: '0',
        borrow: '0',
        margin_type: 'MARGIN_TYPE_CROSS',
        unrealized_pnl: summary.unrealized_pnl,
        total_balance: summary.total_balance,
      },
    ],
    summary,
  });
};
