import type { Json } from '../golden/canonical.js';

/** What every scenario has, whatever its kind. The rest is kind-specific data (JSON-able, no functions). */
export interface BaseScenario {
  /** kebab-case; also the golden file's name. */
  readonly name: string;
  readonly description: string;
}

/** What a run produced: ordered channels of effects and the final state, all already scrubbed to JSON. */
export interface Recording {
  readonly channels: Record<string, Json[]>;
  readonly final: { [key: string]: Json };
}

/** One way of running a scenario: the control (legacy code) or a candidate (the code that replaces it). */
export interface Runner<S extends BaseScenario> {
  readonly name: string;
  readonly description: string;
  run(scenario: S): Promise<Recording>;
}

/**
 * A family of scenarios with the same shape and the same runners: "mark-update" now; "stream" (message
 * sequences) and "execution" come with the next extractions. Golden files are recorded from `control`;
 * the golden tests check the control and every candidate against them.
 */
export interface ScenarioKind<S extends BaseScenario> {
  /** Directory name under golden/. */
  readonly name: string;
  readonly description: string;
  /** Names of the recording's channels, in the order they appear. */
  readonly channels: readonly string[];
  readonly scenarios: readonly S[];
  readonly control: Runner<S>;
  readonly candidates: readonly Runner<S>[];
  /** Validates a scenario (it is data: a typo must fail loudly) and returns it unchanged. */
  parse(scenario: unknown): S;
}

// Runner.run uses method syntax (bivariant parameters), so a ScenarioKind<SpecificScenario> is usable where
// any kind is expected: the registry and the record script need no casts.
export type AnyScenarioKind = ScenarioKind<BaseScenario>;
