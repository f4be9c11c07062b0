import { Decimal, type Balance, type Candle, type Fill } from '@perps-bot/core';
import type { CoinbaseAccount } from '../schemas/accounts.js';
import type { CoinbaseFill } from '../schemas/orders.js';
import type { candlesResponseSchema } from '../schemas/market.js';
import type { z } from 'zod';

const ZERO = new Decimal(0);

export function toBalance(account: CoinbaseAccount): Balance {
  const hold = account.hold?.value ?? ZERO;
  return {
    asset: account.currency,
    available: account.available_balance.value,
    hold,
    total: account.available_balance.value.plus(hold),
  };
}

export function toFill(fill: CoinbaseFill, now: Date): Fill {
  return {
    id: fill.entry_id || fill.trade_id || `${fill.order_id}:${fill.trade_time?.toISOString() ?? ''}`,
    orderId: fill.order_id,
    symbol: fill.product_id,
    side: fill.side,
    price: fill.price,
    // size_in_quote means the size is in quote currency (spot market buys by funds); convert to base.
    quantity: fill.size_in_quote && fill.price.greaterThan(0) ? fill.size.div(fill.price) : fill.size,
    fee: fill.commission ?? ZERO,
    ts: fill.trade_time ?? now,
  };
}

type CoinbaseCandle = z.output<typeof candlesResponseSchema>['candles'][number];

export function toCandle(candle: CoinbaseCandle): Candle {
  return {
    ts: candle.start,
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
    volume: candle.volume,
  };
}
