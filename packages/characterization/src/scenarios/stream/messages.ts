import type { StreamScenario } from '../../kinds/stream/scenario.js';
import { heartbeat, msg, stream, tick, trade } from './build.js';

/** What a message may look like, and what mark (if any) each loop derives from it. */
export const messageScenarios: StreamScenario[] = [
  stream({
    name: 'tickers-two-symbols',
    description:
      'Tickers for both symbols, a second apart: mid of best_bid/best_ask appended, heartbeat, risk time, ws_mark_update.',
    connections: [
      [
        tick('BTC-USD', '50000.10', '50000.30'),
        tick('ETH-USD', '3000', '3001'),
        { gapMs: 1_000 },
        tick('BTC-USD', '50001', '50002'),
      ],
    ],
  }),
  stream({
    name: 'heartbeats-and-acks-are-skipped',
    description: 'Subscription acks and heartbeats carry no product_id; a message without a symbol is skipped too.',
    connections: [
      [
        msg({ channel: 'subscriptions', events: [{ subscriptions: { ticker: ['BTC-USD'] } }] }),
        heartbeat(1),
        tick('BTC-USD', '100', '102'),
        heartbeat(2),
        msg({ type: 'ticker', last: '5' }),
      ],
    ],
  }),
  stream({
    name: 'garbage-frames',
    description:
      'Strings, numbers, null, booleans, arrays, empty objects, falsy symbols and an enveloped Coinbase frame are skipped; the stream goes on.',
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
        msg({ channel: 'ticker', events: [{ type: 'update', tickers: [{ product_id: 'BTC-USD', price: '7' }] }] }),
        tick('ETH-USD', '10', '20'),
      ],
    ],
  }),
  stream({
    name: 'field-fallbacks',
    description:
      'bid/ask when best_* are missing or falsy, last then price when there is no usable mid, symbol when product_id is falsy.',
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
        msg({ product_id: null, symbol: 'ETH-USD', best_bid: '80', best_ask: '81' }),
      ],
    ],
  }),
  stream({
    name: 'array-and-object-fields',
    description:
      'Arrays and objects where text is expected: an empty product_id array is falsy (symbol is used), an array or object bid/ask is no decimal (last or price is used).',
    connections: [
      [
        msg({ product_id: [], symbol: 'BTC-USD', last: '100' }),
        msg({ product_id: 'BTC-USD', best_bid: ['50000'], best_ask: '50002', last: '49999' }),
        msg({ product_id: 'BTC-USD', best_bid: '50000', best_ask: ['50002'], last: '49998' }),
        msg({ product_id: 'ETH-USD', best_bid: { p: '3000' }, best_ask: '3002', price: '2999' }),
      ],
    ],
  }),
  stream({
    name: 'decimal-precision',
    description:
      'Marks are exact decimals: halves of odd sums, long fractions, huge and tiny values, trailing zeros, JSON numbers, exponents.',
    connections: [
      [
        tick('BTC-USD', '0.1', '0.2'),
        tick('BTC-USD', '50000.125', '50000.13'),
        tick('BTC-USD', '123456789012345678901234567890.123456789', '123456789012345678901234567890.123456791'),
        tick('BTC-USD', '0.00000001', '0.00000002'),
        tick('BTC-USD', '100.10', '100.30'),
        msg({ product_id: 'ETH-USD', best_bid: 3000.5, best_ask: 3001 }),
        msg({ product_id: 'ETH-USD', best_bid: '1e3', best_ask: '1000' }),
        msg({ product_id: 'ETH-USD', last: '2.50000' }),
        msg({ product_id: 'ETH-USD', price: 0.1 }),
      ],
    ],
  }),
  stream({
    name: 'non-positive-marks-are-skipped',
    description:
      'A zero or negative mark is skipped whichever field it came from; a negative side can still make a positive mid.',
    connections: [
      [
        msg({ product_id: 'BTC-USD', last: '0' }),
        msg({ product_id: 'BTC-USD', price: '-3' }),
        msg({ product_id: 'BTC-USD', best_bid: '-5', best_ask: '1', last: '10' }),
        msg({ product_id: 'BTC-USD', best_bid: '-5', best_ask: '7' }),
        msg({ product_id: 'BTC-USD', best_bid: '0', best_ask: '0', price: '9' }),
        msg({ product_id: 'ETH-USD', last: '-0.000001' }),
        tick('BTC-USD', '1', '3'),
      ],
    ],
  }),
  stream({
    name: 'overflowing-sides',
    description:
      'A bid or ask whose exponent overflows decimal.js is not a decimal: no mid, the last/price fallback is the mark (issue 11).',
    connections: [
      [
        msg({ product_id: 'BTC-USD', best_bid: '1e9000000000000001', best_ask: '1', last: '3' }),
        msg({ product_id: 'BTC-USD', best_bid: '2', best_ask: '-1e9000000000000001', price: '4' }),
        msg({ product_id: 'ETH-USD', best_bid: 1e308, best_ask: '1e9000000000000001' }),
        tick('BTC-USD', '5', '7'),
      ],
    ],
  }),
  stream({
    name: 'unknown-symbols',
    description:
      'Messages for symbols the bot does not trade still get a window (created on the first append) and the full bookkeeping.',
    connections: [
      [
        tick('SOL-USD', '150', '151'),
        trade('DOGE-USD', '0.25'),
        tick('BTC-USD', '1', '1'),
        tick('SOL-USD', '152', '153'),
      ],
    ],
  }),
  stream({
    name: 'sequence-number-gaps',
    description:
      'Coinbase sequence numbers that skip, repeat and go backwards: neither loop checks them, every ticker is a mark.',
    connections: [
      [
        tick('BTC-USD', '100', '100', { sequence_num: 1 }),
        tick('BTC-USD', '101', '101', { sequence_num: 2 }),
        tick('BTC-USD', '105', '105', { sequence_num: 9 }),
        tick('BTC-USD', '105', '105', { sequence_num: 9 }),
        tick('BTC-USD', '103', '103', { sequence_num: 4 }),
      ],
    ],
  }),
  stream({
    name: 'false-fields-fall-through',
    description: 'product_id false and best_bid false are falsy (Python truthiness): symbol and bid are read instead.',
    connections: [
      [
        msg({ product_id: false, symbol: 'ETH-USD', price: '3000' }),
        msg({ product_id: 'BTC-USD', best_bid: false, bid: '100', best_ask: '102' }),
      ],
    ],
  }),
  stream({
    name: 'unusable-side-falls-back-to-last',
    description:
      'A bid that is not decimal text makes no mid: the last price (100) is the mark; a numeric bid beside a text ask still makes one (101).',
    connections: [
      [
        msg({ product_id: 'BTC-USD', best_bid: 'abc', best_ask: '101', last: '100' }),
        msg({ product_id: 'ETH-USD', best_bid: 100, best_ask: '102', last: '99' }),
      ],
    ],
  }),
];
