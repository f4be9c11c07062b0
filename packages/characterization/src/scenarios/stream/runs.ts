import type { StreamScenario, StreamScenarioStep } from '../../kinds/stream/scenario.js';
import { cents, gap, heartbeat, msg, stream, tick, times, trade } from './build.js';

const MANY = [
  'BTC-USD',
  'ETH-USD',
  'SOL-USD',
  'DOGE-USD',
  'ADA-USD',
  'AVAX-USD',
  'LINK-USD',
  'DOT-USD',
  'LTC-USD',
  'BCH-USD',
  'XLM-USD',
  'ATOM-USD',
];

const LONG_SYMBOLS = ['BTC-USD', 'ETH-USD', 'SOL-USD', 'DOGE-USD'] as const;
const BASE_CENTS = [5_000_000, 300_000, 15_000, 25] as const;
const SWING_CENTS = [1_000, 300, 50, 5] as const;

/** Time between marks, windows filling past their limit, many symbols, and a long generated sequence. */
export const runScenarios: StreamScenario[] = [
  stream({
    name: 'gaps-between-marks',
    description: 'Quiet minutes between marks: each risk timestamp is the clock at its message.',
    connections: [
      [tick('BTC-USD', '1', '1'), gap(60_000), tick('BTC-USD', '2', '2'), gap(181_000), tick('ETH-USD', '3', '3')],
    ],
  }),
  stream({
    name: 'window-trim',
    description: '20 marks for one symbol with MA 2/3: the window grows to 8, then every append drops the oldest.',
    connections: [times(20, (i) => tick('BTC-USD', String(100 + i), String(100 + i)))],
  }),
  stream({
    name: 'short-ma-longer-than-long-ma',
    description: 'MA 7/2: the window limit is max(7, 2) + 5 = 12.',
    shortMa: 7,
    longMa: 2,
    connections: [times(15, (i) => trade('ETH-USD', String(3000 + i)))],
  }),
  stream({
    name: 'many-symbols',
    description:
      'Twelve configured symbols, tickers round-robin, one window each, plus a symbol the bot does not trade.',
    symbols: MANY,
    connections: [
      [
        ...times(36, (i) => tick(MANY[i % MANY.length] as string, cents(10_000 + i * 3), cents(10_002 + i * 3))),
        tick('XRP-USD', '0.5', '0.52'),
      ],
    ],
  }),
  stream({
    name: 'long-sequence',
    description:
      '2,000 steps generated with integer arithmetic on four symbols: tickers, trades, heartbeats, garbage, zero prices and quiet gaps, ' +
      'with a risk manager that fails now and then.',
    symbols: ['BTC-USD', 'ETH-USD', 'SOL-USD'],
    shortMa: 5,
    longMa: 20,
    risk: { message: 'risk shard restarting', throwOnCalls: times(6, (i) => 97 + i * 211) },
    connections: [times(2_000, longStep)],
  }),
];

/** Step i of the long sequence: a deterministic mix, prices from integer cents (no float noise). */
function longStep(i: number): StreamScenarioStep {
  const s = (i * 7) % LONG_SYMBOLS.length;
  const symbol = LONG_SYMBOLS[s] as string;
  const swing = SWING_CENTS[s] as number;
  const mid = (BASE_CENTS[s] as number) + ((i * 7919) % (2 * swing + 1)) - swing;
  if (i % 97 === 13) return heartbeat(i);
  if (i % 61 === 7) return gap(((i % 5) + 1) * 250);
  if (i % 89 === 3) return msg(i % 2 === 0 ? `frame ${i}` : [i]);
  if (i % 53 === 11) return msg({ product_id: symbol, price: '0' });
  if (i % 10 === 4) return trade(symbol, cents(mid));
  return tick(symbol, cents(mid), cents(mid + 1 + (i % 5)));
}
