import type { MarkUpdateScenario } from '../../kinds/mark-update/scenario.js';
import { at, fails, noQuote, quote, rising, scenario } from './build.js';

/** Whether there is a quote at all: the happy path, absent quotes, broker failures. */
export const quoteScenarios: MarkUpdateScenario[] = [
  scenario({
    name: 'happy-single-symbol',
    description: 'One symbol, three good quotes with their own timestamps: three appends, three risk writes, no logs.',
    symbols: ['BTC-PERP'],
    cycles: 3,
    quotes: { 'BTC-PERP': rising(3, 50_000) },
  }),
  scenario({
    name: 'happy-three-symbols',
    description: 'Three symbols in list order, every quote good: effects follow the symbol order within each cycle.',
    symbols: ['BTC-PERP', 'ETH-PERP', 'XRP-PERP'],
    cycles: 2,
    quotes: {
      'BTC-PERP': rising(2, 50_000),
      'ETH-PERP': [quote('3000.25', at(10)), quote('3001.75', at(11))],
      'XRP-PERP': [quote('0.5012', at(20)), quote('0.4999', at(21))],
    },
  }),
  scenario({
    name: 'null-quote-skips-symbol',
    description: 'The broker has no quote (null) for ETH in cycle 1: "No quote for ETH-PERP" at error, BTC unaffected.',
    symbols: ['BTC-PERP', 'ETH-PERP'],
    cycles: 3,
    quotes: { 'BTC-PERP': rising(3, 100), 'ETH-PERP': [quote('10'), noQuote, quote('12')] },
  }),
  scenario({
    name: 'undefined-quote',
    description: 'The broker resolves undefined: handled as no quote.',
    symbols: ['BTC-PERP'],
    quotes: { 'BTC-PERP': [{ type: 'undefined' }] },
  }),
  scenario({
    name: 'non-object-quote',
    description: 'The broker answers a bare string, a number and a boolean: none is an object, so each is "No quote".',
    symbols: ['BTC-PERP'],
    cycles: 3,
    quotes: {
      'BTC-PERP': [
        { type: 'non-object', value: '50000' },
        { type: 'non-object', value: 50_000 },
        { type: 'non-object', value: true },
      ],
    },
  }),
  scenario({
    name: 'broker-rejects',
    description: 'getQuote rejects with an Error: its message is logged at error, nothing else happens for the symbol.',
    symbols: ['BTC-PERP', 'ETH-PERP'],
    cycles: 2,
    quotes: {
      'BTC-PERP': [fails('connection reset'), quote('50000')],
      'ETH-PERP': [quote('3000'), fails('HTTP 503 from exchange')],
    },
  }),
  scenario({
    name: 'broker-throws-synchronously',
    description: 'getQuote throws before returning a promise: caught like a rejection.',
    symbols: ['BTC-PERP', 'ETH-PERP'],
    quotes: {
      'BTC-PERP': [{ type: 'throw', message: 'adapter not connected', sync: true }],
      'ETH-PERP': [quote('3000')],
    },
  }),
  scenario({
    name: 'broker-rejects-with-non-error',
    description: 'Rejections with a plain string and with an object: the log shows the string and the object as JSON.',
    symbols: ['BTC-PERP'],
    cycles: 3,
    quotes: {
      'BTC-PERP': [
        { type: 'throw-value', value: 'rate limited' },
        { type: 'throw-value', value: { status: 429, reason: 'too many requests' } },
        quote('50000'),
      ],
    },
  }),
  scenario({
    name: 'recovering-broker',
    description: 'Two failed cycles, then quotes again: the window resumes from where it was.',
    symbols: ['BTC-PERP'],
    cycles: 5,
    quotes: { 'BTC-PERP': [quote('100', at(0)), fails('timeout'), noQuote, quote('103', at(3)), quote('104', at(4))] },
  }),
];
