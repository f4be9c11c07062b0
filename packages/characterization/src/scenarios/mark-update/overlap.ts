import type { MarkUpdateScenario } from '../../kinds/mark-update/scenario.js';
import { at, fails, quote, scenario } from './build.js';

/**
 * Overlapping cycles: an ETH answer of one cycle arrives after the next cycle has started and applied its own
 * (`heldForNextCycle`). Legacy applies answers as they arrive, so the older mark lands after the newer one and
 * its older timestamp is the risk manager's last word (kept: golden equality needs it). A candidate that
 * queues a cycle behind the one before, or drops a late answer, applies them in another order and fails here.
 * With two symbols, a candidate that applies a cycle's answers only once all are in applies BTC's older mark
 * after the next cycle's newer one, which legacy does not (the concurrent and batched candidates apply each
 * answer once every earlier symbol's is in).
 */
export const overlapScenarios: MarkUpdateScenario[] = [
  scenario({
    name: 'eth-answer-arrives-after-next-cycle',
    description:
      "ETH's first answer arrives after the second cycle applied its own: the older mark is appended last and its older timestamp is the risk manager's last.",
    symbols: ['ETH-PERP'],
    cycles: 2,
    quotes: { 'ETH-PERP': [quote('3000', at(0)), quote('3001', at(1))] },
    heldForNextCycle: { 'ETH-PERP': [0] },
  }),
  scenario({
    name: 'eth-late-failure-and-late-last-answer',
    description:
      "ETH's second answer, a failure, arrives during the third cycle (logged after that cycle's mark), and the last cycle's answer arrives after the run's last cycle started.",
    symbols: ['ETH-PERP'],
    cycles: 4,
    quotes: {
      'ETH-PERP': [quote('3000', at(0)), fails('gateway timeout'), quote('3002', at(2)), quote('2999', at(3))],
    },
    heldForNextCycle: { 'ETH-PERP': [1, 3] },
  }),
  scenario({
    name: 'btc-on-time-eth-late-across-cycles',
    description:
      "BTC's first answer is on time, ETH's arrives after the second cycle applied its own: BTC's first mark is applied before the second cycle's, ETH's older mark last.",
    symbols: ['BTC-PERP', 'ETH-PERP'],
    cycles: 2,
    quotes: {
      'BTC-PERP': [quote('50000', at(0)), quote('50010', at(1))],
      'ETH-PERP': [quote('3000', at(0)), quote('3001', at(1))],
    },
    heldForNextCycle: { 'ETH-PERP': [0] },
  }),
];
