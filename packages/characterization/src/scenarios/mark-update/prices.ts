import type { MarkUpdateScenario } from '../../kinds/mark-update/scenario.js';
import { at, quote, scenario } from './build.js';

/** Which field is the price and whether it is a usable decimal. */
export const priceScenarios: MarkUpdateScenario[] = [
  scenario({
    name: 'missing-price',
    description: 'A quote with bid and ask but neither last nor lastPrice: "Quote missing price".',
    symbols: ['BTC-PERP', 'ETH-PERP'],
    quotes: { 'BTC-PERP': [{ type: 'quote', bid: '49999', ask: '50001', ts: at(0) }], 'ETH-PERP': [quote('3000')] },
  }),
  scenario({
    name: 'last-null-no-fallback',
    description: 'last is present but null and lastPrice is set: no fallback (last wins whenever the field exists).',
    symbols: ['BTC-PERP'],
    quotes: { 'BTC-PERP': [{ type: 'quote', last: null, lastPrice: '51000', ts: at(0) }] },
  }),
  scenario({
    name: 'last-price-fallback',
    description:
      'No last field: lastPrice is the price, as a Decimal and as raw text; lastPrice null is a missing price.',
    symbols: ['BTC-PERP'],
    cycles: 3,
    quotes: {
      'BTC-PERP': [
        { type: 'quote', lastPrice: '51000', ts: at(0) },
        { type: 'quote', lastPrice: { text: '51000.50' }, ts: at(1) },
        { type: 'quote', lastPrice: null, ts: at(2) },
      ],
    },
  }),
  scenario({
    name: 'last-preferred-over-last-price',
    description: 'Both last and lastPrice present: last is the mark.',
    symbols: ['BTC-PERP'],
    quotes: { 'BTC-PERP': [{ type: 'quote', last: '50000', lastPrice: '99999', ts: at(0) }] },
  }),
  scenario({
    name: 'zero-price',
    description: 'Zero as a Decimal, as text, as a number and as 0.000: each is "Invalid mark price: 0".',
    symbols: ['BTC-PERP'],
    cycles: 4,
    quotes: { 'BTC-PERP': [quote('0'), quote({ text: '0' }), quote({ number: 0 }), quote('0.000')] },
  }),
  scenario({
    name: 'negative-price',
    description: 'Negative prices in each form are rejected, and the log shows the decimal text.',
    symbols: ['BTC-PERP'],
    cycles: 3,
    quotes: { 'BTC-PERP': [quote('-1'), quote({ number: -0.5 }), quote({ text: '-3.25' })] },
  }),
  scenario({
    name: 'non-numeric-price',
    description:
      'Text that is not a decimal, an empty string, NaN, ±Infinity and an object: each is an invalid mark price.',
    symbols: ['BTC-PERP'],
    cycles: 7,
    quotes: {
      'BTC-PERP': [
        quote({ text: 'abc' }),
        quote({ text: '' }),
        quote({ text: '1.2.3' }),
        quote({ number: 'NaN' }),
        quote({ number: 'Infinity' }),
        quote({ number: '-Infinity' }),
        quote({ object: { amount: '1' } }),
      ],
    },
  }),
  scenario({
    name: 'raw-number-and-text-prices',
    description: 'Raw numbers and padded text go through their decimal text, never float arithmetic (0.1 stays 0.1).',
    symbols: ['BTC-PERP'],
    cycles: 6,
    quotes: {
      'BTC-PERP': [
        quote({ number: 0.1 }),
        quote({ number: 50_000.0 }),
        quote({ number: 1e-8 }),
        quote({ text: ' 12 ' }),
        quote({ text: '1e3' }),
        quote({ text: '+7.5' }),
      ],
    },
  }),
  scenario({
    name: 'overflowing-price',
    description:
      'Decimal text whose exponent overflows decimal.js (Infinity), as text and as a Decimal, either sign, and one that underflows to 0: ' +
      'each is an invalid mark price and nothing enters the window; the next normal price still does (issue 11).',
    symbols: ['BTC-PERP'],
    cycles: 5,
    quotes: {
      'BTC-PERP': [
        quote({ text: '1e9000000000000001' }),
        quote('1e9000000000000001'),
        quote({ text: '-1e9000000000000001' }),
        quote({ text: '1e-9000000000000001' }),
        quote('50000'),
      ],
    },
  }),
  scenario({
    name: 'extreme-decimals',
    description: 'A one-satoshi price and a 30-digit price with 9 decimals survive exactly.',
    symbols: ['BTC-PERP'],
    cycles: 2,
    quotes: { 'BTC-PERP': [quote('0.00000001'), quote('123456789012345678901234567890.123456789')] },
  }),
  scenario({
    name: 'boolean-price',
    description:
      'The price is a raw boolean (true, then false): neither is a decimal, so "Invalid mark price: true" and "Invalid mark price: false".',
    symbols: ['BTC-PERP'],
    cycles: 2,
    quotes: { 'BTC-PERP': [quote({ boolean: true }), quote({ boolean: false })] },
  }),
];
