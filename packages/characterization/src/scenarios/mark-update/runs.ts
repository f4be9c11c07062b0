import type { MarkUpdateScenario, QuoteAnswer } from '../../kinds/mark-update/scenario.js';
import { at, fails, noQuote, quote, scenario, times } from './build.js';

/** Many symbols failing differently in one cycle, odd symbol lists, and a long run. */
export const runScenarios: MarkUpdateScenario[] = [
  scenario({
    name: 'error-isolation-every-branch',
    description:
      'Nine symbols, each failing in a different way between good ones: every failure is logged, every other symbol updates.',
    symbols: ['A-PERP', 'B-PERP', 'C-PERP', 'D-PERP', 'E-PERP', 'F-PERP', 'G-PERP', 'H-PERP', 'I-PERP', 'J-PERP'],
    cycles: 2,
    quotes: {
      'A-PERP': [noQuote, quote('1')],
      'B-PERP': [quote('2'), quote('2.5')],
      'C-PERP': [fails('socket hang up'), quote('3')],
      'D-PERP': [{ type: 'quote', bid: '1', ask: '2' }, quote('4')],
      'E-PERP': [quote({ text: 'n/a' }), quote('5')],
      'F-PERP': [quote('-5'), quote('6')],
      'G-PERP': [quote('7', 'none'), quote('7.5')],
      'H-PERP': [{ type: 'throw', message: 'sync failure', sync: true }, quote('8')],
      'I-PERP': [{ type: 'quote', last: null, lastPrice: '9' }, quote('9')],
      'J-PERP': [quote('10'), quote('10.5')],
    },
    risk: { message: 'risk write failed', throwForSymbols: ['J-PERP'] },
  }),
  scenario({
    name: 'duplicate-symbol',
    description: 'A symbol listed twice is visited twice per cycle: two broker calls and two appends.',
    symbols: ['BTC-PERP', 'BTC-PERP'],
    cycles: 2,
    quotes: { 'BTC-PERP': times(4, (i) => quote(String(100 + i), at(i))) },
  }),
  scenario({
    name: 'no-symbols',
    description: 'An empty symbol list: a warning at construction, then nothing at all.',
    symbols: [],
    cycles: 2,
    quotes: {},
  }),
  scenario({
    name: 'long-run',
    description:
      '200 cycles on two symbols with a deterministic mix of failures, missing timestamps, lastPrice quotes and risk errors.',
    symbols: ['BTC-PERP', 'ETH-PERP'],
    shortMa: 3,
    longMa: 6,
    cycles: 200,
    quotes: { 'BTC-PERP': times(200, btcAnswer), 'ETH-PERP': times(200, ethAnswer) },
    risk: { message: 'risk shard restarting', throwOnCalls: times(7, (i) => 31 + i * 53) },
  }),
];

/** A price walk from integer arithmetic only (no float noise): 50000 ± a few dollars, in cents. */
function btcAnswer(i: number): QuoteAnswer {
  if (i % 17 === 0) return fails('rate limited');
  if (i % 23 === 5) return noQuote;
  const cents = 5_000_000 + ((i * 7919) % 1000) - 500;
  const price = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  return quote(price, i % 11 === 3 ? 'none' : at(i));
}

function ethAnswer(i: number): QuoteAnswer {
  if (i % 13 === 0) return quote({ text: 'n/a' });
  if (i % 29 === 7) return { type: 'quote', lastPrice: String(3000 + (i % 50)), ts: at(i) };
  if (i % 31 === 11) return quote('0');
  return quote(String(3000 + ((i * 31) % 97)), i % 7 === 2 ? { invalidDate: 'soon' } : at(i));
}
