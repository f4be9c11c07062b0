import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffJson } from '../../diff/diff.js';
import { formatDiff } from '../../diff/format.js';
import type { Json } from '../../json/canonical.js';
import type { Runner } from '../kind.js';
import { arbExecutionScenario } from './arbitraries.js';
import { defaultRegistry } from '../default-registry.js';
import { executionKind, executionServiceRunner } from './kind.js';
import { runExecutionCycle } from './run-cycle.js';
import { parseExecutionScenario, type ExecutionScenario } from './scenario.js';

// Beyond the 47 golden files: the frozen OrderExecutor and the ExecutionService on generated scenarios
// (decisions, positions answers, every order answer, refusals, gates, store failures) give identical effects.

// The kind as registered: its control and every candidate.
const execution = defaultRegistry().kind(executionKind);

const asJson = (value: unknown): Json => JSON.parse(JSON.stringify(value)) as Json;

async function differences(candidate: Runner<ExecutionScenario>, scenario: ExecutionScenario): Promise<string> {
  const expected = asJson(await execution.control.run(scenario));
  const received = asJson(await candidate.run(scenario));
  const diff = diffJson(expected, received);
  return diff.length === 0 ? '' : formatDiff(diff, { maxPerSection: 3 });
}

const equivalence = (candidate: Runner<ExecutionScenario>) =>
  fc.asyncProperty(arbExecutionScenario(), async (scenario) => {
    const diff = await differences(candidate, scenario);
    if (diff !== '') throw new Error(`${candidate.name} differs from ${execution.control.name}:\n${diff}`);
  });

describe('generated execution scenarios', () => {
  it('are valid scenarios', () => {
    fc.assert(
      fc.property(
        arbExecutionScenario(),
        (s) => parseExecutionScenario(s) === s || parseExecutionScenario(s).name === s.name,
      ),
    );
  });

  it.each(execution.candidates)(
    'give identical effects through the frozen OrderExecutor and $name',
    async (candidate) => {
      await fc.assert(equivalence(candidate), { numRuns: candidate === executionServiceRunner ? 150 : 50 });
    },
  );

  it('place orders in most runs, so the property is not vacuous', async () => {
    const samples = fc.sample(arbExecutionScenario(), { numRuns: 60, seed: 7 });
    let placed = 0;
    for (const scenario of samples) {
      const recording = await executionServiceRunner.run(scenario);
      if (
        recording.channels.brokerCalls?.some(
          (c) => typeof c === 'object' && c !== null && !Array.isArray(c) && c.effect === 'broker.placeOrder',
        )
      )
        placed += 1;
    }
    expect(placed).toBeGreaterThan(10);
  });
});

// The property must be able to fail: a candidate that sends a CLOSE for whatever the cycle read instead of
// re-reading positions just before sending (a reduce-only order that could grow a flipped position) is caught.
const closesWithoutFreshRead: Runner<ExecutionScenario> = {
  name: 'closes-without-fresh-read',
  description: 'broken on purpose',
  run: (scenario) =>
    runExecutionCycle(scenario, 'service', {
      patch: (trading) => {
        const executor = trading.executor;
        const execute = executor.execute.bind(executor);
        (executor as { execute: typeof execute }).execute = (request) =>
          execute(
            request.decision.action === 'CLOSE'
              ? { ...request, decision: { ...request.decision, action: 'SELL', targetNotional: request.mark } }
              : request,
          );
      },
    }),
};

describe('a broken candidate', () => {
  it('is caught by the property', async () => {
    const result = await fc.check(equivalence(closesWithoutFreshRead), { numRuns: 200, seed: 42 });
    expect(result.failed).toBe(true);
    expect(String(result.errorInstance)).toContain('differs from legacy-executor');
  });
});
