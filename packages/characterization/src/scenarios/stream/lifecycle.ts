import type { StreamScenario } from '../../kinds/stream/scenario.js';
import { disconnect, heartbeat, stream, tick } from './build.js';

/**
 * The stream's lifecycle around the messages: the backoff after a connection that delivered, a stop that
 * lands on a dropping socket or in the reconnect wait, a duplicate start, no symbols, missing collaborators
 * and a logger that throws.
 */
export const lifecycleScenarios: StreamScenario[] = [
  stream({
    name: 'backoff-resets-after-a-good-connection',
    description:
      'Two silent drops back off 1 s then 2 s; a connection that delivers a mark resets the count, so its drop waits 1 s again and the next silent one 2 s.',
    differsUnder: 'stream-reconnect',
    reconnect: { maxAttempts: 3 },
    whenExhausted: 'fail',
    connections: [
      [disconnect('reset 1')],
      [disconnect('reset 2')],
      [heartbeat(1), tick('BTC-USD', '1', '1'), disconnect('reset 3')],
      [disconnect('reset 4')],
    ],
  }),
  stream({
    name: 'backoff-counts-heartbeats-as-delivery',
    description:
      'A connection that delivers only a heartbeat (no mark) still counts as a good one: the attempt count resets to 1.',
    differsUnder: 'stream-reconnect',
    reconnect: { maxAttempts: 2 },
    whenExhausted: 'fail',
    connections: [[disconnect('reset 1')], [heartbeat(1), disconnect('reset 2')]],
  }),
  stream({
    name: 'stop-on-a-dropping-socket',
    description:
      'The bot stops just as the socket drops: the error is the stop itself, so neither loop writes ws_stream_error, and the service does not reconnect.',
    stopAt: { connection: 0, step: 1 },
    connections: [[tick('BTC-USD', '1', '1'), disconnect('socket closed by stop')], [tick('BTC-USD', '2', '2')]],
  }),
  stream({
    name: 'stop-during-reconnect-wait',
    description:
      'The bot stops while the service waits to reopen after a drop: it does not reopen, and writes ws_stream_exit (legacy ended at the drop).',
    differsUnder: 'stream-reconnect',
    lifecycle: [{ stopInReconnectWait: 1 }],
    connections: [[tick('BTC-USD', '1', '1'), disconnect('websocket closed: 1006')], [tick('BTC-USD', '2', '2')]],
  }),
  stream({
    name: 'stop-during-second-reconnect-wait',
    description:
      'The bot stops in the second wait: one reopen happens, the second does not; every metric on the way is written.',
    differsUnder: 'stream-reconnect',
    lifecycle: [{ stopInReconnectWait: 2 }],
    connections: [[disconnect('drop 1')], [disconnect('drop 2')], [tick('BTC-USD', '2', '2')]],
  }),
  stream({
    name: 'duplicate-start',
    description:
      'The bot starts streaming again while the stream runs: the legacy loop starts a second loop beside the first (the reference quirk); the service logs and keeps one.',
    differsUnder: 'duplicate-start',
    lifecycle: [{ startAgainAt: { connection: 0, step: 1 } }],
    connections: [[tick('BTC-USD', '1', '1'), tick('ETH-USD', '2', '2')]],
  }),
  stream({
    name: 'no-symbols',
    description:
      'A bot with no symbols: neither loop opens a stream; the service says so in an info log, the legacy loop returns silently.',
    differsUnder: 'no-symbols-log',
    symbols: [],
    connections: [[tick('BTC-USD', '1', '1')]],
  }),
  stream({
    name: 'no-risk-manager',
    description:
      'A registry without a risk manager: the bot builds its own live one at initialisation, and the marks reach that one, not the scripted one.',
    without: ['riskManager'],
    connections: [[tick('BTC-USD', '1', '1'), tick('ETH-USD', '2', '3')]],
  }),
  stream({
    name: 'no-event-store',
    description: 'A registry without an event store: marks land in the windows and reach risk, no metric is written.',
    without: ['eventStore'],
    connections: [[tick('BTC-USD', '1', '1'), tick('ETH-USD', '2', '3')]],
  }),
  stream({
    name: 'logger-throws-on-fallback-warning',
    description:
      'The orderbook stream cannot open and the logger throws on the fallback warning: both loops end with ws_stream_error naming the logger failure.',
    openFails: 'orderbook',
    logger: { level: 'warn', startsWith: 'Orderbook stream unavailable', message: 'log sink closed' },
    connections: [[tick('BTC-USD', '1', '1')]],
  }),
  stream({
    name: 'restart-while-the-stop-waits',
    description:
      'The bot starts streaming again the moment the stopped loop exits, before the stop returns: the new stream runs, and the shutdown stops it (ws_stream_exit twice).',
    stopAt: { connection: 0, step: 1 },
    lifecycle: [{ startWhenStopExits: true }],
    connections: [[tick('BTC-USD', '1', '1'), tick('ETH-USD', '2', '2')], [tick('BTC-USD', '3', '3')]],
  }),
  stream({
    name: 'logger-and-error-metric-both-fail',
    description:
      'The logger throws on the fallback warning and the store refuses the ws_stream_error that reports it: both loops log that the error metric failed, then exit.',
    openFails: 'orderbook',
    logger: { level: 'warn', startsWith: 'Orderbook stream unavailable', message: 'log sink closed' },
    eventStore: { message: 'disk full', throwForEvents: ['ws_stream_error'] },
    connections: [[tick('BTC-USD', '1', '1')]],
  }),
  stream({
    name: 'reconnect-metric-fails',
    description:
      'The store refuses the ws_stream_reconnect metric: the service logs that the reconnect metric failed and reopens anyway (legacy ended at the drop).',
    differsUnder: 'stream-reconnect',
    eventStore: { message: 'disk full', throwForEvents: ['ws_stream_reconnect'] },
    connections: [[tick('BTC-USD', '1', '1'), disconnect('websocket closed: 1006')], [tick('BTC-USD', '2', '2')]],
  }),
];
