import { Decimal } from '@perps-bot/core';
import type { SimFill, SimOrder } from './exchange.js';
import { Ledger, type Balance, type SimPosition } from './ledger.js';
import type { SimQuote } from './market.js';
import type { ProductDef } from './products.js';

// Coinbase's JSON: every number is a string, money is {value, currency}, absent values are "" or null.

const s = (d: Decimal): string => d.toFixed();
export const money = (value: Decimal, currency: string) => ({ value: s(value), currency });
export const iso = (d: Date): string => d.toISOString();

const CONTRACT_EXPIRY = '2030-12-20T16:00:00Z';

export function productJson(
  p: ProductDef,
  quote: SimQuote,
  stats: { open: Decimal; volume: Decimal },
): Record<string, unknown> {
  const change = stats.open.isZero()
    ? new Decimal(0)
    : quote.price.minus(stats.open).div(stats.open).mul(100).toDecimalPlaces(4);
  return {
    product_id: p.id,
    price: s(quote.price),
    price_percentage_change_24h: s(change),
    volume_24h: s(stats.volume),
    volume_percentage_change_24h: '0',
    base_increment: s(p.baseIncrement),
    // CFM contracts are listed with a 0.01 quote_increment and their real tick in price_increment (BIP: 5), as a
    // third-party fixture of the real product shows (unconfirmed offline); orders are checked against the tick.
    quote_increment: p.kind === 'cfm' ? '0.01' : s(p.quoteIncrement),
    quote_min_size: s(p.baseMinSize.mul(quote.price).mul(p.contractSize).toDecimalPlaces(2, Decimal.ROUND_UP)),
    quote_max_size: '100000000',
    base_min_size: s(p.baseMinSize),
    base_max_size: s(p.baseMaxSize),
    base_name: p.base,
    quote_name: p.quote,
    watched: false,
    is_disabled: false,
    new: false,
    status: 'online',
    cancel_only: false,
    limit_only: false,
    post_only: false,
    trading_disabled: false,
    auction_mode: false,
    product_type: p.kind === 'spot' ? 'SPOT' : 'FUTURE',
    quote_currency_id: p.quote,
    base_currency_id: p.base,
    fcm_trading_session_details: null,
    mid_market_price: s(quote.bid.plus(quote.ask).div(2)),
    alias: '',
    alias_to: [],
    base_display_symbol: p.base,
    quote_display_symbol: p.quote,
    view_only: false,
    price_increment: s(p.quoteIncrement),
    display_name: p.id,
    product_venue: p.venue,
    approximate_quote_24h_volume: s(stats.volume.mul(quote.price).toDecimalPlaces(2)),
    future_product_details: p.kind === 'spot' ? null : futureDetails(p, quote),
  };
}

function futureDetails(p: ProductDef, quote: SimQuote): Record<string, unknown> {
  const fundingTime = new Date(Math.ceil(quote.time.getTime() / 3_600_000) * 3_600_000).toISOString();
  const perpetual = {
    open_interest: '1234.5',
    funding_rate: '0.000013',
    funding_time: fundingTime,
    max_leverage: s(p.maxLeverage),
    base_asset_uuid: '',
    underlying_type: 'SPOT',
  };
  return {
    venue: p.venue === 'INTX' ? 'intx' : 'cde',
    contract_code: p.id.split('-')[0],
    contract_expiry: p.kind === 'cfm' ? CONTRACT_EXPIRY : null,
    contract_size: s(p.contractSize),
    contract_root_unit: p.base,
    group_description: `${p.base} perpetual-style futures`,
    contract_expiry_timezone: 'Europe/London',
    group_short_description: p.base,
    risk_managed_by: p.kind === 'cfm' ? 'MANAGED_BY_FCM' : 'MANAGED_BY_VENUE',
    // The US perpetual-style futures are listed as EXPIRING (2030-12-20) with funding on these details; only the
    // legacy INTX perps say PERPETUAL and carry perpetual_details.
    contract_expiry_type: p.kind === 'cfm' ? 'EXPIRING' : 'PERPETUAL',
    perpetual_details: p.kind === 'cfm' ? null : perpetual,
    contract_display_name: p.id,
    time_to_expiry_ms: p.kind === 'cfm' ? String(Date.parse(CONTRACT_EXPIRY) - quote.time.getTime()) : '',
    non_crypto: false,
    contract_expiry_name: '',
    twenty_four_by_seven: true,
    funding_interval: '3600s',
    open_interest: perpetual.open_interest,
    funding_rate: perpetual.funding_rate,
    funding_time: fundingTime,
    display_name: p.id,
    index_price: s(quote.price),
    intraday_margin_rate: p.kind === 'cfm' ? { long_margin_rate: '0.1', short_margin_rate: '0.1' } : null,
    overnight_margin_rate: p.kind === 'cfm' ? { long_margin_rate: '0.2', short_margin_rate: '0.2' } : null,
  };
}

const TIF_CONFIG: Record<string, string> = { MARKET: 'MARKET', LIMIT: 'LIMIT', STOP_LIMIT: 'STOP_LIMIT' };

export function orderJson(o: SimOrder, portfolioId: string): Record<string, unknown> {
  const r = o.request;
  const avg = o.filledSize.isZero() ? new Decimal(0) : o.filledValue.div(o.filledSize.mul(Ledger.unit(r.product)));
  return {
    order_id: o.orderId,
    product_id: r.product.id,
    user_id: 'sim-user',
    order_configuration: r.configuration,
    side: r.side,
    client_order_id: r.clientOrderId,
    status: o.status,
    time_in_force: r.tif,
    created_time: iso(o.createdAt),
    completion_percentage: s(o.filledSize.div(o.size).mul(100).toDecimalPlaces(2)),
    filled_size: s(o.filledSize),
    average_filled_price: s(avg),
    fee: '',
    number_of_fills: String(o.numberOfFills),
    filled_value: s(o.filledValue),
    pending_cancel: false,
    size_in_quote: r.baseSize === undefined,
    total_fees: s(o.fees),
    size_inclusive_of_fees: false,
    total_value_after_fees: s(r.side === 'BUY' ? o.filledValue.plus(o.fees) : o.filledValue.minus(o.fees)),
    trigger_status: r.kind === 'STOP_LIMIT' ? (o.triggered ? 'STOP_TRIGGERED' : 'STOP_PENDING') : 'INVALID_ORDER_TYPE',
    order_type: TIF_CONFIG[r.kind],
    reject_reason: '',
    settled: o.status === 'FILLED',
    product_type: r.product.kind === 'spot' ? 'SPOT' : 'FUTURE',
    reject_message: '',
    cancel_message: o.cancelMessage,
    order_placement_source: 'RETAIL_ADVANCED',
    outstanding_hold_amount: '0',
    is_liquidation: false,
    last_fill_time: o.lastFillTime ? iso(o.lastFillTime) : null,
    edit_history: [],
    leverage: s(r.leverage),
    margin_type: r.marginType,
    retail_portfolio_id: portfolioId,
  };
}

export function fillJson(f: SimFill, portfolioId: string): Record<string, unknown> {
  return {
    entry_id: f.entryId,
    trade_id: f.tradeId,
    order_id: f.orderId,
    trade_time: iso(f.time),
    trade_type: 'FILL',
    price: s(f.price),
    size: s(f.size),
    commission: s(f.commission),
    product_id: f.productId,
    sequence_timestamp: iso(f.time),
    liquidity_indicator: f.liquidity,
    size_in_quote: false,
    user_id: 'sim-user',
    side: f.side,
    retail_portfolio_id: portfolioId,
  };
}

export function accountJson(
  uuid: string,
  currency: string,
  balance: Balance,
  portfolioId: string,
  created: Date,
): Record<string, unknown> {
  const fiat = currency === 'USD';
  return {
    uuid,
    name: `${currency} Wallet`,
    currency,
    available_balance: money(balance.available, currency),
    default: fiat,
    active: true,
    created_at: iso(created),
    updated_at: iso(created),
    deleted_at: null,
    type: fiat ? 'ACCOUNT_TYPE_FIAT' : 'ACCOUNT_TYPE_CRYPTO',
    ready: true,
    hold: money(balance.hold, currency),
    retail_portfolio_id: portfolioId,
  };
}

export function cfmPositionJson(p: SimPosition, mark: Decimal, unrealized: Decimal): Record<string, unknown> {
  return {
    product_id: p.product.id,
    expiration_time: CONTRACT_EXPIRY,
    side: p.qty.isNeg() ? 'SHORT' : 'LONG',
    number_of_contracts: s(p.qty.abs()),
    current_price: s(mark),
    avg_entry_price: s(p.entry),
    unrealized_pnl: s(unrealized),
    daily_realized_pnl: s(p.realizedToday),
  };
}

export function intxPositionJson(
  p: SimPosition,
  mark: Decimal,
  unrealized: Decimal,
  portfolioId: string,
): Record<string, unknown> {
  const notional = p.qty.abs().mul(mark);
  return {
    product_id: p.product.id,
    product_uuid: '',
    portfolio_uuid: portfolioId,
    symbol: p.product.id,
    vwap: money(p.entry, 'USDC'),
    entry_vwap: money(p.entry, 'USDC'),
    position_side: p.qty.isNeg() ? 'POSITION_SIDE_SHORT' : 'POSITION_SIDE_LONG',
    margin_type: `MARGIN_TYPE_${p.marginType}`,
    net_size: s(p.qty),
    buy_order_size: '0',
    sell_order_size: '0',
    im_contribution: s(new Decimal(1).div(p.leverage).toDecimalPlaces(6)),
    unrealized_pnl: money(unrealized, 'USDC'),
    mark_price: money(mark, 'USDC'),
    liquidation_price: money(new Decimal(0), 'USDC'),
    leverage: s(p.leverage),
    im_notional: money(notional.div(p.leverage).toDecimalPlaces(8), 'USDC'),
    mm_notional: money(notional.div(p.leverage).div(2).toDecimalPlaces(8), 'USDC'),
    position_notional: money(notional, 'USDC'),
    aggregated_pnl: money(unrealized.plus(p.realizedToday), 'USDC'),
  };
}
