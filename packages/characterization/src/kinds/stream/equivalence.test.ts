import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareRecordings } from '../../golden/compare.js';
import { arbStreamScenario } from './arbitraries.js';
import { defaultRegistry } from '../default-registry.js';
import { streamKind } from './kind.js';
import { parseStreamScenario, type StreamScenario } from './scenario.js';

// Beyond the catalogue: legacy loop and StreamingService on generated message sequences (any JSON frame,
// every price form, gaps, failing risk and event-store writes, a stop) must record identical effects, or
// differ only as a named rule says, and only where the generator produced what that rule is about.

// The kind as registered: its control, every candidate and its ignore rules.
const stream = defaultRegistry().kind(streamKind);

async function compare(scenario: StreamScenario) {
  const control = await stream.control.run(scenario);
  const results = [];
  for (const candidate of stream.candidates)
    results.push(
      compareRecordings(control, await candidate.run(scenario), stream.ignoreRules, { experiment: 'stream' }),
    );
  const [first, ...rest] = results;
  if (!first) throw new Error('the stream kind has no candidate');
  return rest.find((r) => r.status === 'mismatched') ?? first;
}

describe('generated stream scenarios', () => {
  it('are valid scenarios', () => {
    fc.assert(fc.property(arbStreamScenario({ badPrices: true, drops: true }), (s) => parseStreamScenario(s) === s));
  });

  it('without bad text or drops: identical windows, heartbeats, risk writes, event-store writes and logs', async () => {
    await fc.assert(
      fc.asyncProperty(arbStreamScenario(), async (scenario) => {
        const result = await compare(scenario);
        expect(result.status === 'mismatched' ? result.message : result).toEqual({ status: 'matched' });
      }),
      { numRuns: 150 },
    );
  });

  it('with bad text and drops: matched, or ignored by the rule that names that difference', async () => {
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(arbStreamScenario({ badPrices: true, drops: true }), async (scenario) => {
        const result = await compare(scenario);
        expect(result.status, result.status === 'mismatched' ? result.message : undefined).not.toBe('mismatched');
        seen.add(result.status === 'ignored' ? result.rule : result.status);
      }),
      { numRuns: 150 },
    );
    // The generator must have exercised both rules and plain matches, or the property proved little.
    expect([...seen].sort()).toEqual(['bad-price-text', 'matched', 'stream-reconnect']);
  });
});
