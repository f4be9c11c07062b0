import type { Market, SimQuote } from '../market.js';

/** The exchange's timestamps carry sub-millisecond digits; Date has milliseconds, so pad to microseconds. */
export function wsTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}

/** `current_time` of a heartbeat, in the exchange's Go-style format: "2026-04-07 14:30:10.123 +0000 UTC". */
export function heartbeatTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)} +0000 UTC`;
}

export function tickerJson(market: Market, q: SimQuote): Record<string, unknown> {
  const stats = market.stats24(q.productId);
  const change =
    stats && !stats.open.isZero()
      ? q.price.minus(stats.open).div(stats.open).mul(100).toDecimalPlaces(8).toFixed()
      : '0';
  return {
    type: 'ticker',
    product_id: q.productId,
    price: q.price.toFixed(),
    volume_24_h: stats?.volume.toFixed() ?? '0',
    low_24_h: stats?.low.toFixed() ?? q.price.toFixed(),
    high_24_h: stats?.high.toFixed() ?? q.price.toFixed(),
    low_52_w: stats?.low.toFixed() ?? q.price.toFixed(),
    high_52_w: stats?.high.toFixed() ?? q.price.toFixed(),
    price_percent_chg_24_h: change,
    best_bid: q.bid.toFixed(),
    best_bid_quantity: q.bidSize.toFixed(),
    best_ask: q.ask.toFixed(),
    best_ask_quantity: q.askSize.toFixed(),
  };
}

interface L2Update {
  readonly side: 'bid' | 'offer';
  readonly event_time: string;
  readonly price_level: string;
  readonly new_quantity: string;
}

/** A minimal book: the best bid and offer; an update removes the previous best (quantity "0") when it moved. */
export function l2Updates(q: SimQuote, previous: SimQuote | undefined, eventTime: string): L2Update[] {
  const updates: L2Update[] = [];
  if (previous && !previous.bid.equals(q.bid))
    updates.push({ side: 'bid', event_time: eventTime, price_level: previous.bid.toFixed(), new_quantity: '0' });
  if (previous && !previous.ask.equals(q.ask))
    updates.push({ side: 'offer', event_time: eventTime, price_level: previous.ask.toFixed(), new_quantity: '0' });
  updates.push({ side: 'bid', event_time: eventTime, price_level: q.bid.toFixed(), new_quantity: q.bidSize.toFixed() });
  updates.push({
    side: 'offer',
    event_time: eventTime,
    price_level: q.ask.toFixed(),
    new_quantity: q.askSize.toFixed(),
  });
  return updates;
}

export function tradeJson(market: Market, productId: string): Record<string, unknown>[] {
  return market.recentTrades(productId, 1).map((t) => ({
    trade_id: t.tradeId,
    product_id: productId,
    price: t.price.toFixed(),
    size: t.size.toFixed(),
    side: t.side,
    time: t.time.toISOString(),
  }));
}
