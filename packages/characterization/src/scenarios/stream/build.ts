import type { Json } from '../../json/canonical.js';
import type { StreamScenario, StreamScenarioStep } from '../../kinds/stream/scenario.js';

// Terse builders for the stream catalogue. They only build data: what a scenario means is in its fields.
// Message shapes follow Coinbase Advanced Trade's ticker / market_trades / heartbeats channels as the
// adapter hands them to the loops (one flat object per ticker).

export const tick = (
  product_id: string,
  best_bid: string,
  best_ask: string,
  extra: { [key: string]: Json } = {},
): StreamScenarioStep => ({
  message: { channel: 'ticker', type: 'ticker', product_id, best_bid, best_ask, ...extra },
});

export const trade = (product_id: string, price: string): StreamScenarioStep => ({
  message: { channel: 'market_trades', product_id, price, size: '0.1', side: 'BUY' },
});

export const msg = (message: Json): StreamScenarioStep => ({ message });

/** A heartbeats-channel message: no product_id, so both loops skip it. */
export const heartbeat = (counter: number): StreamScenarioStep =>
  msg({ channel: 'heartbeats', heartbeat_counter: counter, current_time: '2026-03-01T12:00:00Z' });

export const gap = (gapMs: number): StreamScenarioStep => ({ gapMs });
export const disconnect = (reason: string): StreamScenarioStep => ({ disconnect: reason });
export const end: StreamScenarioStep = { end: true };

export const times = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

/** Integer cents as decimal text ("50000.05"): generated prices never pass through a float. */
export const cents = (n: number): string =>
  `${n < 0 ? '-' : ''}${Math.floor(Math.abs(n) / 100)}.${String(Math.abs(n) % 100).padStart(2, '0')}`;

type Defaults = 'symbols' | 'shortMa' | 'longMa' | 'level';

/** A scenario with the catalogue's defaults: BTC-USD and ETH-USD, MA 2/3 (window limit 8), level 1. */
export function stream(s: Omit<StreamScenario, Defaults> & Partial<Pick<StreamScenario, Defaults>>): StreamScenario {
  return { symbols: ['BTC-USD', 'ETH-USD'], shortMa: 2, longMa: 3, level: 1, ...s };
}
