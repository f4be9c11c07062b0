import { describe, expect, it } from 'vitest';
import { defaultRegistry } from '../default-registry.js';
import { executionKind } from './kind.js';
import { parseExecutionScenario } from './scenario.js';

const executionScenarios = defaultRegistry().scenarios(executionKind);

describe('execution scenarios', () => {
  const base = executionScenarios[0];

  it('the catalogue has at least 25 valid scenarios with unique names', () => {
    expect(executionScenarios.length).toBeGreaterThanOrEqual(25);
    for (const s of executionScenarios) expect(parseExecutionScenario(s)).toEqual(s);
    expect(new Set(executionScenarios.map((s) => s.name)).size).toBe(executionScenarios.length);
  });

  it('refuses a typo in a field, an answer or a decision', () => {
    expect(() => parseExecutionScenario({ ...base, dryrun: true })).toThrow();
    expect(() => parseExecutionScenario({ ...base, placeOrder: [{ type: 'filed' }] })).toThrow();
    expect(() =>
      parseExecutionScenario({ ...base, decisions: { 'BTC-PERP': [{ action: 'BUY', targetNotional: '1e' }] } }),
    ).toThrow(/decimal/);
  });

  it('refuses decisions for a symbol the scenario does not trade', () => {
    expect(() => parseExecutionScenario({ ...base, decisions: { 'SOL-PERP': [{ action: 'HOLD' }] } })).toThrow(
      /SOL-PERP, which is not one of its symbols/,
    );
  });
});
