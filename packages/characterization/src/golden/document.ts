import type { BaseScenario, Recording, ScenarioKind } from '../kinds/kind.js';
import { fingerprint, type Json } from './canonical.js';

/**
 * A golden file's content. `fingerprint` is taken from the scenario's data, so a scenario edited without
 * re-recording is caught by name rather than as a puzzling diff; `recordedWith` names the runner (the control).
 */
export function goldenDocument<S extends BaseScenario>(kind: ScenarioKind<S>, scenario: S, runner: string, recording: Recording): Json {
  return {
    kind: kind.name,
    scenario: scenario.name,
    description: scenario.description,
    fingerprint: scenarioFingerprint(scenario),
    recordedWith: runner,
    channels: recording.channels,
    final: recording.final,
  };
}

export function scenarioFingerprint(scenario: BaseScenario): string {
  return fingerprint(scenario as unknown as Json);
}

/** The part of a golden document a candidate must reproduce. */
export function comparable(document: Json): Json {
  const d = document as { channels?: Json; final?: Json };
  return { channels: d.channels ?? null, final: d.final ?? null };
}
