import type { MarkUpdateScenario } from '../../kinds/mark-update/scenario.js';
import { at, quote, scenario } from './build.js';

/** Which time the risk manager is told: the quote's own when it is a real Date, else the clock's now. */
export const timestampScenarios: MarkUpdateScenario[] = [
  scenario({
    name: 'timestamp-from-quote',
    description: 'Quote timestamps before and after the clock are used as they are.',
    symbols: ['BTC-PERP'],
    cycles: 3,
    quotes: { 'BTC-PERP': [quote('1', at(0)), quote('2', '2026-03-01T13:00:00.000Z'), quote('3', at(1))] },
  }),
  scenario({
    name: 'timestamp-missing-uses-clock',
    description: 'No ts field: the risk manager gets the manual clock, which moves 5 s per cycle.',
    symbols: ['BTC-PERP', 'ETH-PERP'],
    cycles: 3,
    quotes: {
      'BTC-PERP': [quote('1', 'none'), quote('2', 'none'), quote('3', 'none')],
      'ETH-PERP': [quote('1'), quote('2', 'none'), quote('3')],
    },
  }),
  scenario({
    name: 'timestamp-invalid-date-uses-clock',
    description: 'ts is a Date object holding no instant (new Date("garbage")): the clock is used.',
    symbols: ['BTC-PERP'],
    cycles: 2,
    quotes: { 'BTC-PERP': [quote('1', { invalidDate: 'garbage' }), quote('2', { invalidDate: '' })] },
  }),
  scenario({
    name: 'timestamp-not-a-date-uses-clock',
    description: 'ts as an ISO string, as epoch milliseconds and as null: none is a Date, so the clock is used.',
    symbols: ['BTC-PERP'],
    cycles: 3,
    quotes: {
      'BTC-PERP': [
        quote('1', { text: '2026-03-01T11:00:00.000Z' }),
        quote('2', { number: 1_772_362_800_000 }),
        quote('3', null),
      ],
    },
  }),
  scenario({
    name: 'clock-moves-per-read',
    description:
      'Time passes inside a cycle: the clock moves 250 ms after every reading, so each symbol without a ts gets a later time than the one before it (one reading per symbol, not per cycle).',
    symbols: ['BTC-PERP', 'ETH-PERP', 'SOL-PERP'],
    cycles: 2,
    clock: { start: '2026-03-01T12:00:00.000Z', stepMs: 5_000, readMs: 250 },
    quotes: {
      'BTC-PERP': [quote('1', 'none'), quote('2', 'none')],
      'ETH-PERP': [quote('10', 'none'), quote('11')],
      'SOL-PERP': [quote('100', 'none'), quote('101', 'none')],
    },
  }),
];
