import type { StreamScenario } from '../../kinds/stream/scenario.js';
import { disconnect, end, gap, heartbeat, msg, stream, tick, times, trade } from './build.js';

/** Bad prices, dropped and ended streams, failing bookkeeping, and a stop in the middle. */
export const failureScenarios: StreamScenario[] = [
  stream({
    name: 'bad-price-text',
    description:
      'A price that is not decimal text: the legacy loop ends with ws_stream_error; the StreamingService warns, skips it and goes on.',
    differsUnder: 'bad-price-text',
    connections: [[tick('BTC-USD', '1', '1'), msg({ product_id: 'ETH-USD', price: 'abc' }), tick('BTC-USD', '2', '2')]],
  }),
  stream({
    name: 'bad-price-empty-text',
    description: 'last and price both empty text: falsy last falls back to an empty price, which is not a decimal.',
    differsUnder: 'bad-price-text',
    connections: [[msg({ product_id: 'BTC-USD', last: '', price: '' }), tick('BTC-USD', '2', '2')]],
  }),
  stream({
    name: 'bad-price-not-text',
    description:
      'A last price that is an object after a mid that could not be read: the legacy loop ends; the service skips it.',
    differsUnder: 'bad-price-text',
    connections: [
      [
        trade('ETH-USD', '3000'),
        msg({ product_id: 'ETH-USD', best_bid: 'x', best_ask: '1', last: { value: '3001' } }),
        trade('ETH-USD', '3002'),
      ],
    ],
  }),
  stream({
    name: 'disconnect-mid-stream',
    description:
      'The socket drops after a mark: both write ws_stream_error; legacy ends, the service reopens and streams on.',
    differsUnder: 'stream-reconnect',
    connections: [[tick('BTC-USD', '1', '1'), disconnect('websocket closed: 1006')], [tick('BTC-USD', '2', '2')]],
  }),
  stream({
    name: 'disconnect-before-first-message',
    description: 'The socket drops before delivering anything; the reopened one delivers.',
    differsUnder: 'stream-reconnect',
    connections: [[disconnect('handshake reset')], [heartbeat(1), tick('ETH-USD', '7', '9')]],
  }),
  stream({
    name: 'stream-ends',
    description: 'The server closes the stream: legacy writes ws_stream_exit and ends, the service reopens it.',
    differsUnder: 'stream-reconnect',
    connections: [[tick('ETH-USD', '5', '5'), end], [tick('ETH-USD', '6', '6')]],
  }),
  stream({
    name: 'stream-stays-down',
    description:
      'After one mark the stream drops and every reopen fails: the service backs off 1 s, 2 s, 4 s and gives up; the marks go stale.',
    differsUnder: 'stream-reconnect',
    whenExhausted: 'fail',
    reconnect: { maxAttempts: 3 },
    connections: [[tick('BTC-USD', '1', '1'), disconnect('network unreachable')]],
  }),
  stream({
    name: 'risk-write-fails',
    description:
      'The risk manager throws on some marks: the window keeps the mark, the heartbeat happened, no ws_mark_update, one error log each.',
    risk: { message: 'risk store locked', throwOnCalls: [1], throwForSymbols: ['ETH-USD'] },
    connections: [
      [tick('BTC-USD', '1', '1'), tick('BTC-USD', '2', '2'), tick('ETH-USD', '3', '3'), tick('BTC-USD', '4', '4')],
    ],
  }),
  stream({
    name: 'event-store-write-fails',
    description:
      'The event store throws on some ws_mark_update writes: the bookkeeping error is logged and the stream goes on.',
    eventStore: { message: 'disk full', throwOnCalls: [0, 2] },
    connections: [
      [tick('BTC-USD', '1', '1'), tick('ETH-USD', '2', '2'), tick('BTC-USD', '3', '3'), tick('ETH-USD', '4', '4')],
    ],
  }),
  stream({
    name: 'event-store-fails-on-error-and-exit',
    description:
      'Both the ws_stream_error and the ws_stream_exit writes throw after a bad price: the loop logs both failures.',
    differsUnder: 'bad-price-text',
    eventStore: { message: 'event store closed', throwForEvents: ['ws_stream_error', 'ws_stream_exit'] },
    connections: [[tick('BTC-USD', '1', '1'), msg({ product_id: 'BTC-USD', last: 'NaN' }), tick('BTC-USD', '3', '3')]],
  }),
  stream({
    name: 'stop-mid-stream',
    description:
      'The bot stops streaming while a ticker is in flight: that ticker is not applied, nothing after it is delivered, ws_stream_exit.',
    stopAt: { connection: 0, step: 3 },
    connections: [
      [
        tick('BTC-USD', '1', '1'),
        tick('ETH-USD', '2', '2'),
        gap(500),
        tick('BTC-USD', '3', '3'),
        tick('BTC-USD', '4', '4'),
      ],
    ],
  }),
  stream({
    name: 'stop-during-gap',
    description: 'The bot stops streaming while the stream is quiet: the loop ends at once with ws_stream_exit.',
    stopAt: { connection: 0, step: 1 },
    connections: [
      [tick('BTC-USD', '1', '1'), gap(30_000), ...times(3, (i) => tick('BTC-USD', String(2 + i), String(2 + i)))],
    ],
  }),
];
