import type { MarkUpdateScenario } from '../../kinds/mark-update/scenario.js';
import { quote, rising, scenario, times } from './build.js';

/** A failing risk manager: logged at debug, and the mark stays. No risk manager or event store at all. */
export const riskScenarios: MarkUpdateScenario[] = [
  scenario({
    name: 'risk-throws-always',
    description:
      'Every recordMarkUpdate throws: every mark is still appended, one debug log per symbol, no error logs.',
    symbols: ['BTC-PERP', 'ETH-PERP'],
    cycles: 2,
    quotes: { 'BTC-PERP': rising(2, 100), 'ETH-PERP': rising(2, 200) },
    risk: { message: 'risk store unavailable', always: true },
  }),
  scenario({
    name: 'risk-throws-on-some-calls',
    description: 'The 2nd and 5th risk writes throw; the risk timestamps keep the last write that succeeded.',
    symbols: ['BTC-PERP', 'ETH-PERP'],
    cycles: 3,
    quotes: { 'BTC-PERP': rising(3, 100), 'ETH-PERP': rising(3, 200) },
    risk: { message: 'lock timeout', throwOnCalls: [1, 4] },
  }),
  scenario({
    name: 'risk-throws-for-one-symbol-with-bad-quotes',
    description: 'Risk throws for ETH only, while BTC alternates good and bad quotes: a bad quote never reaches risk.',
    symbols: ['BTC-PERP', 'ETH-PERP'],
    cycles: 4,
    quotes: {
      'BTC-PERP': times(4, (i) => (i % 2 === 0 ? quote(String(100 + i)) : quote('0'))),
      'ETH-PERP': rising(4, 200),
    },
    risk: { message: 'ETH risk shard down', throwForSymbols: ['ETH-PERP'] },
  }),
  scenario({
    name: 'no-risk-manager',
    description:
      'A registry without a risk manager: the bot builds its own live one at initialisation; every mark is appended and goes to that one.',
    symbols: ['BTC-PERP', 'ETH-PERP'],
    cycles: 2,
    quotes: { 'BTC-PERP': rising(2, 100), 'ETH-PERP': rising(2, 200) },
    without: ['riskManager'],
  }),
  scenario({
    name: 'no-event-store',
    description: 'A registry without an event store: the mark update writes the same marks and risk timestamps.',
    symbols: ['BTC-PERP', 'ETH-PERP'],
    cycles: 2,
    quotes: { 'BTC-PERP': rising(2, 100), 'ETH-PERP': [quote('0'), quote('201')] },
    without: ['eventStore'],
  }),
];
