import type { MarkUpdateScenario } from '../../kinds/mark-update/scenario.js';
import { quote, rising, scenario, times } from './build.js';

// The window limit is max(shortMa, longMa) + 5. The catalogue's default MA 2/3 gives 8.

/** Trimming at, one past and far past the limit; windows that start too long, missing or foreign. */
export const windowScenarios: MarkUpdateScenario[] = [
  scenario({
    name: 'trim-at-boundary',
    description: 'Exactly limit (8) marks: nothing is dropped yet.',
    symbols: ['BTC-PERP'],
    cycles: 8,
    quotes: { 'BTC-PERP': rising(8, 100) },
  }),
  scenario({
    name: 'trim-one-past-boundary',
    description: 'limit + 1 marks: the 9th append drops the oldest mark, the window keeps 101…108.',
    symbols: ['BTC-PERP'],
    cycles: 9,
    quotes: { 'BTC-PERP': rising(9, 100) },
  }),
  scenario({
    name: 'trim-far-past-boundary',
    description: '30 marks with MA 4/7 (limit 12) on two symbols: each keeps its newest 12.',
    symbols: ['BTC-PERP', 'ETH-PERP'],
    shortMa: 4,
    longMa: 7,
    cycles: 30,
    quotes: { 'BTC-PERP': rising(30, 1000, 10), 'ETH-PERP': rising(30, 50, 0.5) },
  }),
  scenario({
    name: 'short-ma-longer-than-long-ma',
    description: 'shortMa 9 > longMa 3: the limit is max(9, 3) + 5 = 14.',
    symbols: ['BTC-PERP'],
    shortMa: 9,
    longMa: 3,
    cycles: 16,
    quotes: { 'BTC-PERP': rising(16, 1) },
  }),
  scenario({
    name: 'prefilled-past-limit',
    description:
      'A window pre-filled with 20 marks (limit 8): the first append drops 13, keeping the newest 7 plus the new mark.',
    symbols: ['BTC-PERP'],
    cycles: 2,
    initialWindows: { 'BTC-PERP': times(20, (i) => String(1 + i)) },
    quotes: { 'BTC-PERP': rising(2, 500) },
  }),
  scenario({
    name: 'prefilled-exactly-at-limit',
    description: 'A window pre-filled with exactly 8 marks: the first append drops one.',
    symbols: ['BTC-PERP'],
    initialWindows: { 'BTC-PERP': times(8, (i) => String(1 + i)) },
    quotes: { 'BTC-PERP': [quote('9')] },
  }),
  scenario({
    name: 'prefilled-past-limit-then-failures',
    description: 'An overfull window stays overfull while every quote fails: only an append trims.',
    symbols: ['BTC-PERP'],
    cycles: 3,
    initialWindows: { 'BTC-PERP': times(12, (i) => String(1 + i)) },
    quotes: { 'BTC-PERP': [quote('0'), { type: 'null' }, quote('13')] },
  }),
  scenario({
    name: 'missing-window-created',
    description: 'ETH has no window when the cycle starts (deleted after initialisation): the append creates it.',
    symbols: ['BTC-PERP', 'ETH-PERP'],
    cycles: 2,
    initialWindows: { 'ETH-PERP': null },
    quotes: { 'BTC-PERP': rising(2, 100), 'ETH-PERP': rising(2, 200) },
  }),
  scenario({
    name: 'symbol-added-after-init',
    description:
      'SOL is pushed onto the bot’s symbol list after initialisation: it has no window until its first mark.',
    symbols: ['BTC-PERP'],
    symbolsAddedAfterInit: ['SOL-PERP'],
    cycles: 2,
    quotes: { 'BTC-PERP': rising(2, 100), 'SOL-PERP': [{ type: 'null' }, quote('150')] },
  }),
  scenario({
    name: 'foreign-window-untouched',
    description: 'A window for a symbol the bot does not trade (longer than the limit) is left exactly as it was.',
    symbols: ['BTC-PERP'],
    cycles: 2,
    initialWindows: { 'DOGE-PERP': times(10, (i) => `0.${10 + i}`) },
    quotes: { 'BTC-PERP': rising(2, 100) },
  }),
];
