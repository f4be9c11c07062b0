import fc from 'fast-check';
import { diffJson } from '../../diff/diff.js';
import { formatDiff } from '../../diff/format.js';
import type { Json } from '../../json/canonical.js';
import type { Recording, Runner } from '../kind.js';
import { arbMarkUpdateScenario, type ScenarioConstraints } from './arbitraries.js';
import type { MarkUpdateScenario } from './scenario.js';

const comparable = (r: Recording, excluded: readonly string[]): Json => {
  const channels = Object.fromEntries(Object.entries(r.channels).filter(([name]) => !excluded.includes(name)));
  return JSON.parse(JSON.stringify({ channels, final: r.final })) as Json;
};

/** The differences between two runners on one scenario, as the short text of a golden diff ("" when equal). */
async function compareRunners(
  control: Runner<MarkUpdateScenario>,
  candidate: Runner<MarkUpdateScenario>,
  scenario: MarkUpdateScenario,
): Promise<string> {
  // Only the channels the candidate declares it is excused from (by name, with a reason) are left out.
  const excluded = Object.keys(candidate.excludedChannels ?? {});
  const expected = comparable(await control.run(scenario), excluded);
  const received = comparable(await candidate.run(scenario), excluded);
  const differences = diffJson(expected, received);
  return differences.length === 0 ? '' : formatDiff(differences, { maxPerSection: 3 });
}

/**
 * The property "on any generated scenario, the candidate's effects equal the control's". A failure throws
 * with the diff, and fast-check shrinks the scenario to a small counterexample.
 */
export function equivalenceProperty(
  control: Runner<MarkUpdateScenario>,
  candidate: Runner<MarkUpdateScenario>,
  constraints: ScenarioConstraints = {},
): fc.IAsyncPropertyWithHooks<[MarkUpdateScenario]> {
  return fc.asyncProperty(arbMarkUpdateScenario(constraints), async (scenario) => {
    const diff = await compareRunners(control, candidate, scenario);
    if (diff !== '') throw new Error(`${candidate.name} differs from ${control.name}:\n${diff}`);
  });
}
