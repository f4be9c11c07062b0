import type { StreamScenario } from '../../kinds/stream/scenario.js';
import { msg, stream, tick, trade } from './build.js';

/** Which stream is opened, at which level, and what happens when it cannot be. */
export const openScenarios: StreamScenario[] = [
  stream({
    name: 'orderbook-unavailable-uses-trades',
    description: 'streamOrderbook throws on open: a warning, then streamTrades, whose trade prices become marks.',
    openFails: 'orderbook',
    connections: [
      [trade('BTC-USD', '50000'), msg({ channel: 'market_trades', product_id: 'ETH-USD', price: '3000.5', size: '2' })],
    ],
  }),
  stream({
    name: 'no-stream-at-all',
    description: 'Both opens throw: a warning, an error, ws_stream_exit and no mark.',
    openFails: 'both',
    connections: [],
  }),
  stream({
    name: 'level-2',
    description: 'perpsStreamLevel 2 opens the orderbook stream at level 2.',
    level: 2,
    connections: [[tick('ETH-USD', '1', '2')]],
  }),
  stream({
    name: 'level-0-means-1',
    description: 'perpsStreamLevel 0 (unset) opens at level 1.',
    level: 0,
    connections: [[tick('ETH-USD', '1', '2')]],
  }),
];
