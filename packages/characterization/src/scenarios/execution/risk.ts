import type { ExecutionScenario } from '../../kinds/execution/scenario.js';
import { buy, exec, held, sell } from './build.js';

/** Pre-trade and cycle risk: refusals, the runtime gates, reduce-only switches, unknown account state. */
export const riskScenarios: readonly ExecutionScenario[] = [
  exec({
    name: 'pre-trade-rejects',
    description: 'The pre-trade check refuses BTC (LEVERAGE): risk_rejected, nothing sent.',
    decisions: { 'BTC-PERP': [buy()] },
    preTrade: [{ symbol: 'BTC-PERP', code: 'LEVERAGE', reason: 'leverage 12x over the 10x cap' }],
  }),
  exec({
    name: 'pre-trade-rejects-second-order',
    description: 'Two orders; the second check (ETH) is refused for EXPOSURE.',
    decisions: { 'BTC-PERP': [buy()], 'ETH-PERP': [sell('3000')] },
    preTrade: [{ onCalls: [1], code: 'EXPOSURE', reason: 'exposure cap' }],
  }),
  exec({
    name: 'pre-trade-rejects-in-dry-run',
    description: 'A refusal wins over a dry run: risk_rejected, no dry_run_order.',
    decisions: { 'BTC-PERP': [buy()] },
    dryRun: true,
    preTrade: [{ code: 'POSITION_SIZE', reason: 'too big' }],
  }),
  exec({
    name: 'kill-switch',
    description: 'Kill switch on: both symbols skipped with a warning, no decision asked.',
    decisions: { 'BTC-PERP': [buy()], 'ETH-PERP': [sell()] },
    cycleRisk: { killSwitch: true },
  }),
  exec({
    name: 'stale-mark',
    description: 'BTC mark is stale: BTC holds; ETH still sells.',
    decisions: { 'BTC-PERP': [buy()], 'ETH-PERP': [sell('3000')] },
    cycleRisk: { staleSymbols: ['BTC-PERP'] },
  }),
  exec({
    name: 'volatility-breaker',
    description: 'The volatility breaker kills ETH: ETH holds, BTC buys.',
    decisions: { 'BTC-PERP': [buy()], 'ETH-PERP': [sell('3000')] },
    cycleRisk: { volatilityKillSymbols: ['ETH-PERP'] },
  }),
  exec({
    name: 'config-reduce-only-mode',
    description: 'REDUCE_ONLY_MODE: a BUY with no position becomes reduce-only and would not reduce: not sent.',
    decisions: { 'BTC-PERP': [buy()] },
    reduceOnlyMode: true,
  }),
  exec({
    name: 'risk-reduce-only-symbol',
    description: 'The risk manager has BTC reduce-only: a SELL against a long is sized down to what is held.',
    decisions: { 'BTC-PERP': [sell('100000')] },
    positions: [held({ 'BTC-PERP': '0.25' })],
    cycleRisk: { reduceOnlySymbols: ['BTC-PERP'] },
  }),
  exec({
    name: 'liquidation-buffer-flags-symbol',
    description:
      'The liquidation check flags ETH reduce-only this cycle: an ETH SELL that would open a short is not sent.',
    decisions: { 'ETH-PERP': [sell('3000')] },
    cycleRisk: { liquidationSymbols: ['ETH-PERP'] },
  }),
  exec({
    name: 'balances-unknown-then-reduce-only',
    description:
      'Balances fail three cycles running: reduce-only (account_state_unknown); read again on the 4th: lifted and BUY placed.',
    decisions: { 'BTC-PERP': [buy()] },
    cycles: 4,
    balances: [
      { throw: 'balances 503' },
      { throw: 'balances 503' },
      { throw: 'balances 503' },
      { balances: [{ asset: 'USD', available: '100000' }] },
    ],
  }),
  exec({
    name: 'positions-unknown',
    description: 'Positions cannot be read: every symbol holds (account state unknown), nothing sent.',
    decisions: { 'BTC-PERP': [buy()] },
    positions: [{ throw: 'positions timeout' }],
  }),
  exec({
    name: 'fresh-positions-read-fails',
    description: 'CLOSE: the read just before sending fails: order_not_sent.',
    decisions: { 'BTC-PERP': [{ action: 'CLOSE' }] },
    positions: [held({ 'BTC-PERP': '0.5' }), { throw: 'positions 502' }],
  }),
];
