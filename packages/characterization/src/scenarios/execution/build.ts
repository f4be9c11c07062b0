import type { ExecutionScenario } from '../../kinds/execution/scenario.js';

// Terse builders for the execution catalogue. They only build data: what a scenario means is in its fields.

type Defaults = Exclude<keyof ExecutionScenario, 'name' | 'description' | 'differsUnder'>;

/**
 * A scenario with the catalogue's defaults: BTC-PERP and ETH-PERP with four marks each, $100,000 USD, no
 * positions, products with step 0.0001 / min notional 10, every order filled and read back, nothing refused,
 * one cycle, live (not a dry run), GTC.
 */
export function exec(
  s: Pick<ExecutionScenario, 'name' | 'description'> & Partial<Pick<ExecutionScenario, Defaults>>,
): ExecutionScenario {
  return {
    symbols: ['BTC-PERP', 'ETH-PERP'],
    marks: { 'BTC-PERP': ['50000', '50100', '50200', '50000'], 'ETH-PERP': ['3000', '3010', '3020', '3000'] },
    decisions: {},
    cycles: 1,
    stepMs: 1000,
    dryRun: false,
    reduceOnlyMode: false,
    timeInForce: 'GTC',
    balances: [{ balances: [{ asset: 'USD', available: '100000' }] }],
    positions: [{ positions: [] }],
    products: {},
    placeOrder: [{ type: 'filled' }],
    getOrder: [{ type: 'echo' }],
    lookups: [{ type: 'found' }],
    closePosition: false,
    preTrade: [],
    cycleRisk: {},
    ordersStoreFails: [],
    eventStoreFails: false,
    ...s,
  };
}

export const buy = (targetNotional = '10000', extra: Partial<ExecutionScenario['decisions'][string][number]> = {}) => ({
  action: 'BUY' as const,
  targetNotional,
  ...extra,
});
export const sell = (
  targetNotional = '10000',
  extra: Partial<ExecutionScenario['decisions'][string][number]> = {},
) => ({ action: 'SELL' as const, targetNotional, ...extra });
export const close = { action: 'CLOSE' as const, reason: 'scripted exit' };
export const holdIt = { action: 'HOLD' as const, reason: 'scripted hold' };

/** A positions answer: symbol → signed quantity (entry at 50000 for BTC, 3000 otherwise). */
export const held = (quantities: Record<string, string>) => ({
  positions: Object.entries(quantities).map(([symbol, quantity]) => ({
    symbol,
    quantity,
    entryPrice: symbol.startsWith('BTC') ? '50000' : '3000',
  })),
});
