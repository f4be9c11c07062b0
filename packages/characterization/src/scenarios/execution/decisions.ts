import type { ExecutionScenario } from '../../kinds/execution/scenario.js';
import { buy, close, exec, held, holdIt, sell } from './build.js';

/** What each decision turns into: sizing, reduce-only, CLOSE, dry runs. */
export const decisionScenarios: readonly ExecutionScenario[] = [
  exec({
    name: 'buy-filled',
    description: 'BTC BUY $10,000 at 50000: 0.2 BTC placed, filled, read back, stored, counted.',
    decisions: { 'BTC-PERP': [buy()] },
  }),
  exec({
    name: 'sell-opens-short',
    description: 'ETH SELL $6,000 at 3000 with no position: a 2 ETH short is opened.',
    decisions: { 'ETH-PERP': [sell('6000')] },
  }),
  exec({
    name: 'hold-places-nothing',
    description: 'Both symbols HOLD: no order request, only decisions and cycle metrics.',
    decisions: { 'BTC-PERP': [holdIt], 'ETH-PERP': [holdIt] },
  }),
  exec({
    name: 'two-symbols-both-order',
    description: 'BTC BUY and ETH SELL in one cycle: placed one after the other under the order lock.',
    decisions: { 'BTC-PERP': [buy()], 'ETH-PERP': [sell('3000')] },
  }),
  exec({
    name: 'quantity-rounded-down-to-step',
    description: 'BUY $10,001 at 50000 = 0.20002 BTC, rounded down to the 0.0001 step: 0.2.',
    decisions: { 'BTC-PERP': [buy('10001')] },
  }),
  exec({
    name: 'below-minimum-size',
    description: 'BUY $2 of BTC is below the 0.0001 minimum size: skipped with a warning.',
    decisions: { 'BTC-PERP': [buy('2')] },
  }),
  exec({
    name: 'below-minimum-notional',
    description: 'ETH minimum notional 100; a $60 SELL is skipped.',
    decisions: { 'ETH-PERP': [sell('60')] },
    products: { 'ETH-PERP': { minNotional: '100' } },
  }),
  exec({
    name: 'buy-without-target-notional',
    description: 'A BUY with no target notional places nothing.',
    decisions: { 'BTC-PERP': [{ action: 'BUY' }] },
  }),
  exec({
    name: 'close-without-position',
    description: 'CLOSE with no position held: skipped.',
    decisions: { 'BTC-PERP': [close] },
  }),
  exec({
    name: 'close-long-position',
    description: 'CLOSE a 0.5 BTC long: reduce-only SELL, re-sized from a positions read made just before sending.',
    decisions: { 'BTC-PERP': [close] },
    positions: [held({ 'BTC-PERP': '0.5' })],
  }),
  exec({
    name: 'close-short-position',
    description: 'CLOSE a 3 ETH short: reduce-only BUY of 3.',
    decisions: { 'ETH-PERP': [close] },
    positions: [held({ 'ETH-PERP': '-3' })],
  }),
  exec({
    name: 'close-through-close-position',
    description: 'The broker has closePosition: a CLOSE goes through it (via close_position).',
    decisions: { 'BTC-PERP': [close] },
    positions: [held({ 'BTC-PERP': '0.5' })],
    closePosition: true,
  }),
  exec({
    name: 'close-position-shrank-before-send',
    description: 'CLOSE sized at 0.5 BTC; the fresh read shows 0.3: the order closes 0.3.',
    decisions: { 'BTC-PERP': [close] },
    positions: [held({ 'BTC-PERP': '0.5' }), held({ 'BTC-PERP': '0.3' })],
  }),
  exec({
    name: 'reduce-only-sell-clamped-to-held',
    description: 'A reduce-only SELL of $100,000 (2 BTC) against a 0.5 BTC long is cut to 0.5.',
    decisions: { 'BTC-PERP': [sell('100000', { reduceOnly: true })] },
    positions: [held({ 'BTC-PERP': '0.5' })],
  }),
  exec({
    name: 'reduce-only-would-not-reduce',
    description: 'A reduce-only BUY against a long would grow it: not sent.',
    decisions: { 'BTC-PERP': [buy('10000', { reduceOnly: true })] },
    positions: [held({ 'BTC-PERP': '0.5' })],
  }),
  exec({
    name: 'futures-contract-size',
    description: 'BTC contract size 0.01: $10,000 at 50000 is 20 contracts.',
    decisions: { 'BTC-PERP': [buy()] },
    products: { 'BTC-PERP': { contractSize: '0.01', stepSize: '1', minSize: '1' } },
  }),
  exec({
    name: 'decision-time-in-force',
    description: 'A decision asking IOC overrides the configured GTC.',
    decisions: { 'BTC-PERP': [buy('10000', { timeInForce: 'IOC' })] },
  }),
  exec({
    name: 'dry-run-buy',
    description: 'Dry run: the BUY is logged and recorded as dry_run_order; nothing is sent or counted.',
    decisions: { 'BTC-PERP': [buy()] },
    dryRun: true,
  }),
  exec({
    name: 'dry-run-close',
    description: 'Dry run CLOSE of a 0.5 BTC long: recorded reduce-only, no positions re-read.',
    decisions: { 'BTC-PERP': [close] },
    positions: [held({ 'BTC-PERP': '0.5' })],
    dryRun: true,
  }),
  exec({
    name: 'no-marks-for-symbol',
    description: 'ETH has no marks: skipped before any decision; BTC still buys.',
    decisions: { 'BTC-PERP': [buy()], 'ETH-PERP': [sell()] },
    marks: { 'BTC-PERP': ['50000'] },
  }),
  exec({
    name: 'no-equity',
    description: 'A zero USD balance and no position: no equity, HOLD for both.',
    decisions: { 'BTC-PERP': [buy()] },
    balances: [{ balances: [{ asset: 'USD', available: '0' }] }],
  }),
  exec({
    name: 'product-unavailable',
    description: 'getProduct for ETH fails: the symbol errors, BTC still trades.',
    decisions: { 'BTC-PERP': [buy()], 'ETH-PERP': [sell()] },
    products: { 'ETH-PERP': { throw: 'product endpoint down' } },
  }),
];
