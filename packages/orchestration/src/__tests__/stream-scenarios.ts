import type { StreamStep } from '@perps-bot/market-data';
import type { StreamScenario } from './stream-effects.js';

// Streaming scenarios as plain data: each step is { message }, { gapMs }, { disconnect } or { end: true }.
// Message shapes follow Coinbase Advanced Trade's ticker / market_trades / heartbeats channels.

const tick = (product_id: string, best_bid: string, best_ask: string, extra: Record<string, unknown> = {}): StreamStep => ({
  message: { channel: 'ticker', type: 'ticker', product_id, best_bid, best_ask, ...extra },
});
const msg = (message: unknown): StreamStep => ({ message });
const heartbeat = (counter: number): StreamStep => msg({ channel: 'heartbeats', heartbeat_counter: counter, current_time: '2026-03-01T12:00:00Z' });

const base = { symbols: ['BTC-USD', 'ETH-USD'], shortMa: 2, longMa: 3, level: 1 } as const;

export const STREAM_SCENARIOS: readonly StreamScenario[] = [
  {
    ...base,
    name: 'tickers-two-symbols',
    script: {
      connections: [[tick('BTC-USD', '50000.10', '50000.30'), tick('ETH-USD', '3000', '3001'), { gapMs: 1_000 }, tick('BTC-USD', '50001', '50002')]],
    },
  },
  {
    ...base,
    name: 'heartbeats-and-acks-are-skipped',
    script: {
      connections: [
        [
          msg({ channel: 'subscriptions', events: [{ subscriptions: { ticker: ['BTC-USD'] } }] }),
          heartbeat(1),
          tick('BTC-USD', '100', '102'),
          heartbeat(2),
          msg({ type: 'ticker', last: '5' }),
        ],
      ],
    },
  },
  {
    ...base,
    name: 'garbage-frames',
    script: {
      connections: [
        [
          msg('not json'),
          msg(42),
          msg(null),
          msg(true),
          msg([]),
          msg([{ product_id: 'BTC-USD', price: '1' }]),
          msg({}),
          msg({ product_id: 'BTC-USD' }),
          msg({ product_id: '', symbol: '', price: '1' }),
          msg({ product_id: 0, price: '1' }),
          tick('ETH-USD', '10', '20'),
        ],
      ],
    },
  },
  {
    ...base,
    name: 'field-fallbacks',
    script: {
      connections: [
        [
          msg({ product_id: 'BTC-USD', bid: '10', ask: '12' }),
          msg({ product_id: 'BTC-USD', best_bid: '', bid: '20', best_ask: '22' }),
          msg({ product_id: 'BTC-USD', best_bid: '30', last: '31' }),
          msg({ product_id: 'BTC-USD', best_bid: 'abc', best_ask: '41', last: '40' }),
          msg({ symbol: 'ETH-USD', last: '50' }),
          msg({ product_id: 'ETH-USD', last: 0, price: '60' }),
          msg({ product_id: 'ETH-USD', best_bid: 0, bid: 0, best_ask: '140' }),
          msg({ product_id: 'ETH-USD', price: 70.25 }),
          msg({ product_id: 'SOL-USD', price: '150' }),
        ],
      ],
    },
  },
  {
    ...base,
    name: 'non-positive-marks-are-skipped',
    script: {
      connections: [
        [
          msg({ product_id: 'BTC-USD', last: '0' }),
          msg({ product_id: 'BTC-USD', price: '-3' }),
          msg({ product_id: 'BTC-USD', best_bid: '-5', best_ask: '1', last: '10' }),
          msg({ product_id: 'BTC-USD', best_bid: '0', best_ask: '0', price: '9' }),
          tick('BTC-USD', '1', '3'),
        ],
      ],
    },
  },
  {
    ...base,
    name: 'gaps-between-marks',
    script: {
      connections: [[tick('BTC-USD', '1', '1'), { gapMs: 60_000 }, tick('BTC-USD', '2', '2'), { gapMs: 181_000 }, tick('ETH-USD', '3', '3')]],
    },
  },
  {
    ...base,
    name: 'window-trim',
    script: { connections: [Array.from({ length: 20 }, (_, i) => tick('BTC-USD', String(100 + i), String(100 + i)))] },
  },
  {
    ...base,
    name: 'orderbook-unavailable-uses-trades',
    script: {
      openFails: 'orderbook',
      connections: [[msg({ channel: 'market_trades', product_id: 'BTC-USD', price: '50000', size: '0.1' })]],
    },
  },
  { ...base, name: 'no-stream-at-all', script: { openFails: 'both', connections: [] } },
  { ...base, level: 2, name: 'level-2', script: { connections: [[tick('ETH-USD', '1', '2')]] } },
  { ...base, level: 0, name: 'level-0-means-1', script: { connections: [[tick('ETH-USD', '1', '2')]] } },
  {
    ...base,
    name: 'bad-price-text',
    expectRule: 'bad-price-text',
    script: {
      connections: [[tick('BTC-USD', '1', '1'), msg({ product_id: 'ETH-USD', price: 'abc' }), tick('BTC-USD', '2', '2')]],
    },
  },
  {
    ...base,
    name: 'bad-price-empty-text',
    expectRule: 'bad-price-text',
    script: { connections: [[msg({ product_id: 'BTC-USD', last: '', price: '' }), tick('BTC-USD', '2', '2')]] },
  },
  {
    ...base,
    name: 'disconnect-mid-stream',
    expectRule: 'stream-reconnect',
    script: {
      connections: [[tick('BTC-USD', '1', '1'), { disconnect: 'websocket closed: 1006' }], [tick('BTC-USD', '2', '2')]],
    },
  },
  {
    ...base,
    name: 'stream-ends',
    expectRule: 'stream-reconnect',
    script: { connections: [[tick('ETH-USD', '5', '5'), { end: true }], [tick('ETH-USD', '6', '6')]] },
  },
];
