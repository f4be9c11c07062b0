import type { BaseScenario, Recording, ScenarioKind } from '../kinds/kind.js';
import { fingerprint, type Json } from '../json/canonical.js';
import { goldenFileName, type GoldenRole } from './store.js';

/**
 * A golden file's content. `fingerprint` is taken from the scenario's data, so a scenario edited without
 * re-recording is caught by name rather than as a puzzling diff; `recordedWith` names the runner (the control,
 * or for a `.candidate.json` file the first candidate). A scenario whose candidates differ on purpose says so
 * in both of its files: the rule's name, and where the other file is.
 */
export function goldenDocument<S extends BaseScenario>(
  kind: ScenarioKind<S>,
  scenario: S,
  runner: string,
  recording: Recording,
  role: GoldenRole = 'control',
): Json {
  const rule = scenario.differsUnder;
  const control = goldenFileName(kind.name, scenario.name);
  const candidate = goldenFileName(kind.name, scenario.name, 'candidate');
  // `about` sorts first in the file, so the label is the first thing a reader sees.
  const labels: { [key: string]: Json } =
    rule === undefined
      ? {}
      : role === 'control'
        ? {
            about: `Control golden, recorded from ${runner}. The candidates deliberately differ under the ignore rule "${rule}"; their golden file is ${candidate}.`,
            differsUnder: rule,
            candidateGolden: candidate,
          }
        : {
            about: `CANDIDATE golden, recorded from ${runner}, which deliberately differs from the control under the ignore rule "${rule}"; the control's golden file is ${control}.`,
            role: 'candidate',
            differsUnder: rule,
            controlGolden: control,
          };
  return {
    kind: kind.name,
    scenario: scenario.name,
    description: scenario.description,
    fingerprint: scenarioFingerprint(scenario),
    recordedWith: runner,
    ...labels,
    channels: recording.channels,
    final: recording.final,
  };
}

export function scenarioFingerprint(scenario: BaseScenario): string {
  return fingerprint(scenario as unknown as Json);
}

/** The part of a golden document a candidate must reproduce, less the channels its runner is excused from. */
export function comparable(document: Json, excluded: readonly string[] = []): Json {
  const d = document as { channels?: { [key: string]: Json }; final?: Json };
  const channels = d.channels === undefined ? null : Object.fromEntries(Object.entries(d.channels).filter(([name]) => !excluded.includes(name)));
  return { channels, final: d.final ?? null };
}

/** The golden file a runner must reproduce: the candidates' own one when the scenario differs on purpose. */
export function roleOf<S extends BaseScenario>(kind: ScenarioKind<S>, scenario: S, runner: string): GoldenRole {
  return runner !== kind.control.name && scenario.differsUnder !== undefined ? 'candidate' : 'control';
}
