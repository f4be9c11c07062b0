import type { ExecutionScenario } from '../../kinds/execution/scenario.js';
import { buy, exec, held, sell } from './build.js';

/** What the exchange answers to an order, and what happens to unknown and open orders after it. */
export const orderScenarios: readonly ExecutionScenario[] = [
  exec({
    name: 'broker-rejects-order',
    description: 'placeOrder throws a typed exchange error: failed, counted, order_failed.',
    decisions: { 'BTC-PERP': [buy()] },
    placeOrder: [{ type: 'rejected', message: 'INSUFFICIENT_FUNDS' }],
  }),
  exec({
    name: 'exchange-rejected-status',
    description: 'The order comes back with status REJECTED: failed.',
    decisions: { 'BTC-PERP': [buy()] },
    placeOrder: [{ type: 'exchange-rejected' }],
  }),
  exec({
    name: 'timeout-then-found',
    description:
      'An untyped timeout: outcome unknown, BTC blocked; next cycle the look-up finds it filled: successful.',
    decisions: { 'BTC-PERP': [buy(), { action: 'HOLD' }] },
    cycles: 2,
    placeOrder: [{ type: 'timeout', message: 'socket hang up' }],
  }),
  exec({
    name: 'lost-answer-then-absent',
    description: 'OrderOutcomeUnknownError: unknown; the look-up finds nothing: failed; BTC buys again on cycle 3.',
    decisions: { 'BTC-PERP': [buy()] },
    cycles: 3,
    stepMs: 5000,
    placeOrder: [{ type: 'lost', message: 'answer cut short' }, { type: 'filled' }],
    lookups: [{ type: 'absent' }],
  }),
  exec({
    name: 'unknown-blocks-symbol',
    description: 'A lost answer, and look-ups that keep failing: BTC stays blocked for 3 cycles, ETH trades.',
    decisions: { 'BTC-PERP': [buy()], 'ETH-PERP': [{ action: 'HOLD' }, sell('3000'), { action: 'HOLD' }] },
    cycles: 3,
    placeOrder: [{ type: 'lost', message: 'gateway timeout' }, { type: 'filled' }],
    lookups: [{ type: 'throw', message: 'list orders 500' }],
  }),
  exec({
    name: 'open-order-then-filled',
    description:
      'The order stays SUBMITTED: BTC blocked; the next cycle reads it FILLED (order_drift) and the block lifts.',
    decisions: { 'BTC-PERP': [buy(), { action: 'HOLD' }] },
    cycles: 2,
    placeOrder: [{ type: 'open' }],
    getOrder: [{ type: 'echo' }, { type: 'filled' }],
  }),
  exec({
    name: 'read-back-fails',
    description: 'Placed, but the read-back throws: the submit answer is used, the order counts as placed.',
    decisions: { 'BTC-PERP': [buy()] },
    getOrder: [{ type: 'throw', message: 'order endpoint 500' }],
  }),
  exec({
    name: 'read-back-null',
    description: 'Placed, but the read-back finds nothing: the submit answer is used.',
    decisions: { 'BTC-PERP': [buy()] },
    getOrder: [{ type: 'null' }],
  }),
  exec({
    name: 'positions-lag-our-fill',
    description:
      'BUY filled; the next positions answer still shows none: BTC holds (positions lag our fill), then the fill shows.',
    decisions: { 'BTC-PERP': [buy(), sell('100000', { reduceOnly: true })] },
    cycles: 3,
    positions: [{ positions: [] }, { positions: [] }, held({ 'BTC-PERP': '0.2' })],
  }),
  exec({
    name: 'intent-store-fails',
    description: 'The orders store cannot record the intent: nothing is sent (order_not_sent).',
    decisions: { 'BTC-PERP': [buy()] },
    ordersStoreFails: ['recordIntent'],
  }),
  exec({
    name: 'order-store-fails-after-send',
    description: 'Placed, but the order cannot be stored: unknown, BTC blocked until a look-up stores it.',
    decisions: { 'BTC-PERP': [buy()] },
    ordersStoreFails: ['upsert'],
  }),
  exec({
    name: 'intent-update-fails-on-failure',
    description: 'A rejected order whose intent cannot be updated: logged, the order still counts failed.',
    decisions: { 'ETH-PERP': [sell('3000')] },
    placeOrder: [{ type: 'rejected', message: 'price band' }],
    ordersStoreFails: ['updateIntent'],
  }),
  exec({
    name: 'event-store-fails',
    description: 'Every event write throws: logged at error, the order is still placed and counted.',
    decisions: { 'BTC-PERP': [buy()] },
    eventStoreFails: true,
  }),
];
