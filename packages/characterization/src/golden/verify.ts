import { diffJson } from '../diff/diff.js';
import { formatDiff } from '../diff/format.js';
import type { BaseScenario, Runner, ScenarioKind } from '../kinds/kind.js';
import { canonicalJson, type Json } from '../json/canonical.js';
import { comparable, goldenDocument, roleOf, scenarioFingerprint } from './document.js';
import { goldenPath, readJson, receivedPath, remove, writeText } from './store.js';

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly message: string };

const RERECORD = 'run `pnpm golden:record` and review the diff it prints';

/**
 * Runs one scenario through one runner and compares the result with the committed golden file (for a
 * candidate in a scenario with `differsUnder`, the `.candidate.json` one). On a
 * mismatch the full received document is written beside the golden file (`<name>.<runner>.received.json`,
 * git-ignored) and the message holds only the differences.
 */
export async function verifyAgainstGolden<S extends BaseScenario>(
  kind: ScenarioKind<S>,
  scenario: S,
  runner: Runner<S>,
  goldenDir: string,
): Promise<Verdict> {
  const role = roleOf(kind, scenario, runner.name);
  const where = `${kind.name}/${scenario.name}${role === 'candidate' ? '.candidate' : ''}`;
  const golden = readJson(goldenPath(goldenDir, kind.name, scenario.name, role));
  if (golden === undefined) return { ok: false, message: `no golden file for ${where}: ${RERECORD}` };
  const recorded = (golden as { fingerprint?: string }).fingerprint;
  if (recorded !== scenarioFingerprint(scenario)) {
    return { ok: false, message: `scenario ${where} changed since its golden file was recorded (${recorded} ≠ ${scenarioFingerprint(scenario)}): ${RERECORD}` };
  }
  const document = goldenDocument(kind, scenario, runner.name, await runner.run(kind.parse(scenario)), role);
  const excluded = Object.keys(runner.excludedChannels ?? {});
  const differences = diffJson(comparable(golden, excluded), comparable(JSON.parse(JSON.stringify(document)) as Json, excluded));
  const received = receivedPath(goldenDir, kind.name, scenario.name, runner.name);
  if (differences.length === 0) {
    remove(received);
    return { ok: true };
  }
  writeText(received, canonicalJson(document));
  return {
    ok: false,
    message: [
      `${runner.name} does not reproduce golden ${where} (${differences.length} difference${differences.length === 1 ? '' : 's'}):`,
      formatDiff(differences),
      `full output: ${received}`,
    ].join('\n'),
  };
}
