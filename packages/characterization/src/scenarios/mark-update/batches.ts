import type { MarkUpdateScenario } from '../../kinds/mark-update/scenario.js';
import { at, fails, quote, rising, scenario, times } from './build.js';

const manySymbols = (n: number): string[] => times(n, (i) => `S${String(i).padStart(3, '0')}-PERP`);
const eachQuoted = (symbols: readonly string[], cycles: number): Record<string, ReturnType<typeof quote>[]> =>
  Object.fromEntries(symbols.map((s, i) => [s, times(cycles, (c) => quote(String(100 + i + c * 1000), at(i + c)))]));

/** The batch request and the broker around it: a rejected batch, a broker without one, lists longer than a batch. */
export const batchScenarios: MarkUpdateScenario[] = [
  scenario({
    name: 'batch-request-rejected',
    description:
      'Cycle 0: the exchange fails every quote with one message (the batched candidate sees its getQuotes rejected): each symbol logs it, nothing appended. Cycle 1 recovers.',
    symbols: ['BTC-PERP', 'ETH-PERP', 'SOL-PERP'],
    cycles: 2,
    broker: { batch: 'rejects' },
    quotes: {
      'BTC-PERP': [fails('503 Service Unavailable'), quote('50000', at(1))],
      'ETH-PERP': [fails('503 Service Unavailable'), quote('3000', at(1))],
      'SOL-PERP': [fails('503 Service Unavailable'), quote('150', at(1))],
    },
  }),
  scenario({
    name: 'broker-without-get-quotes',
    description:
      'The broker has only getQuote: the batched candidate falls back to one request per symbol; effects as ever.',
    symbols: ['BTC-PERP', 'ETH-PERP'],
    cycles: 2,
    broker: { batch: 'absent' },
    quotes: { 'BTC-PERP': rising(2, 100), 'ETH-PERP': [quote('3000', 'none'), fails('timeout')] },
  }),
  (() => {
    const symbols = manySymbols(100);
    return scenario({
      name: 'one-hundred-symbols',
      description: 'Exactly one batch worth of symbols (100): one getQuotes per cycle, no empty second chunk.',
      symbols,
      cycles: 1,
      quotes: eachQuoted(symbols, 1),
    });
  })(),
  (() => {
    const symbols = manySymbols(101);
    return scenario({
      name: 'more-than-one-hundred-symbols',
      description:
        '101 symbols: the batched candidate splits into chunks of 100 and 1; every symbol gets its own mark, in list order.',
      symbols,
      cycles: 2,
      quotes: eachQuoted(symbols, 2),
    });
  })(),
];
