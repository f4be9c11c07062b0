import type { ExecutionScenario } from '../../kinds/execution/scenario.js';
import { buy, close, exec, held } from './build.js';

/**
 * Answers that arrive after the next cycle started (the two cycles overlap at the executor's lock), an order
 * the positions answers do not show yet, a symbol in doubt during another's read, and the wiring the harness
 * usually fills in: the pre-trade check's contract sizes, no event store, the executor's own client ids.
 */
export const overlapScenarios: readonly ExecutionScenario[] = [
  exec({
    name: 'next-cycle-waits-behind-a-lost-answer',
    description:
      'A CLOSE waits for its positions read while the next cycle starts and closes BTC too; the first answer is lost, so the second close, already past the cycle check, is not sent.',
    symbols: ['BTC-PERP'],
    cycles: 2,
    decisions: { 'BTC-PERP': [close, close] },
    positions: [
      held({ 'BTC-PERP': '0.2' }),
      { ...held({ 'BTC-PERP': '0.2' }), heldForNextCycle: true },
      held({ 'BTC-PERP': '0.2' }),
    ],
    placeOrder: [{ type: 'lost', message: 'answer cut short' }, { type: 'filled' }],
    lookups: [{ type: 'throw', message: 'list orders 500' }],
  }),
  exec({
    name: 'next-cycle-close-behind-an-unseen-fill',
    description:
      'Two overlapping CLOSEs: the first fills, and the positions read the second makes just before sending still shows the old size, so it is not sent.',
    symbols: ['BTC-PERP'],
    cycles: 2,
    decisions: { 'BTC-PERP': [close, close] },
    positions: [
      held({ 'BTC-PERP': '0.2' }),
      { ...held({ 'BTC-PERP': '0.2' }), heldForNextCycle: true },
      held({ 'BTC-PERP': '0.2' }),
    ],
  }),
  exec({
    name: 'close-while-another-symbol-is-in-doubt',
    description:
      'ETH has an order of unknown outcome; the positions read before closing BTC shows ETH changed: no drift is reported for the symbol in doubt.',
    symbols: ['BTC-PERP', 'ETH-PERP'],
    cycles: 2,
    decisions: { 'ETH-PERP': [buy('3000')], 'BTC-PERP': [{ action: 'HOLD' }, close] },
    positions: [
      held({ 'BTC-PERP': '0.2', 'ETH-PERP': '0' }),
      held({ 'BTC-PERP': '0.2', 'ETH-PERP': '0' }),
      held({ 'BTC-PERP': '0.2', 'ETH-PERP': '1' }),
    ],
    placeOrder: [{ type: 'lost', message: 'gateway timeout' }, { type: 'filled' }],
    lookups: [{ type: 'throw', message: 'list orders 500' }],
  }),
  exec({
    name: 'pre-trade-sees-contract-sizes',
    description:
      'A position in a product of contract size 0.01: the pre-trade check is handed that size and refuses on it (exposure counted in base units).',
    symbols: ['BTC-PERP'],
    products: { 'BTC-PERP': { contractSize: '0.01' } },
    positions: [held({ 'BTC-PERP': '1' })],
    decisions: { 'BTC-PERP': [buy('10000')] },
    preTrade: [{ contractSize: '0.01', code: 'EXPOSURE', reason: 'futures exposure in base units over the limit' }],
  }),
  exec({
    name: 'no-event-store',
    description:
      'A cycle without an event store: a refusal, a placed order and a dry-run-free close record nothing and still log, count and store.',
    cycles: 2,
    decisions: { 'BTC-PERP': [buy()], 'ETH-PERP': [{ action: 'HOLD' }, buy('3000')] },
    preTrade: [{ symbol: 'ETH-PERP', code: 'LEVERAGE', reason: 'leverage over 5x' }],
    noEventStore: true,
  }),
  exec({
    name: 'executor-client-ids',
    description: "The executor's own client ids (pb-<uuid>): every order and intent carries one, distinct per order.",
    cycles: 2,
    decisions: { 'BTC-PERP': [buy()], 'ETH-PERP': [{ action: 'HOLD' }, buy('3000')] },
    defaultClientIds: true,
  }),
];
