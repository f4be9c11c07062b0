import type { IgnoreRule } from '@perps-bot/core';
import type { Json } from '../json/canonical.js';

/** What every scenario has, whatever its kind. The rest is kind-specific data (JSON-able, no functions). */
export interface BaseScenario {
  /** kebab-case; also the golden file's name. */
  readonly name: string;
  readonly description: string;
  /**
   * The named ignore rule under which the candidates deliberately differ from the control in this scenario
   * (a fixed quirk, a new behaviour). Such a scenario has two golden files, both written by the record
   * script: `<name>.json` from the control and `<name>.candidate.json` from the first candidate; the control
   * must reproduce the first, every candidate the second, and the rule must explain the difference.
   */
  readonly differsUnder?: string | undefined;
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
  /**
   * Channels this runner is NOT compared on, each with the reason: only where it differs by design and checks
   * that channel itself (the batched service asks the broker once per cycle instead of once per symbol).
   * Everything else must still match; the golden tests list every exclusion by name, so none is silent.
   */
  readonly excludedChannels?: Readonly<Record<string, string>>;
  /**
   * Why a scenario's premise does not exist for this runner (undefined when it does): only where the scenario
   * scripts something this runner cannot be asked (one batched request cannot be late for one symbol and on time
   * for another). The golden tests list every such pair by name, so none is silent.
   */
  notFor?(scenario: S): string | undefined;
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
  /** The kind's catalogue, as the registry was given it (kinds/default-registry.ts lists them all). */
  readonly scenarios: readonly S[];
  readonly control: Runner<S>;
  readonly candidates: readonly Runner<S>[];
  /** The rules a scenario's `differsUnder` may name; a difference no rule explains is a mismatch. */
  readonly ignoreRules?: readonly IgnoreRule[];
  /** Validates a scenario (it is data: a typo must fail loudly) and returns it unchanged. */
  parse(scenario: unknown): S;
}

/**
 * The ignore rules are core's, shared with the runtime shadows (one vocabulary, one set of stable names):
 * the harness hands a rule one Mismatch per differing section of two recordings (golden/compare.ts).
 */
export type { IgnoreRule } from '@perps-bot/core';

/**
 * A kind as its module defines it: runners, channels, rules and parser, but no catalogue. The registry pairs
 * it with its catalogue (`KindRegistry.register(definition, scenarios)`), so the one list of kinds and their
 * scenarios is kinds/default-registry.ts and everything (record script, golden tests, property tests,
 * catalogue tests) reads the catalogues from the registry.
 */
export type KindDefinition<S extends BaseScenario> = Omit<ScenarioKind<S>, 'scenarios'>;

// Runner.run uses method syntax (bivariant parameters), so a ScenarioKind<SpecificScenario> is usable where
// any kind is expected: the registry and the record script need no casts.
export type AnyScenarioKind = ScenarioKind<BaseScenario>;
