import type { AnyScenarioKind, BaseScenario, KindDefinition, ScenarioKind } from './kind.js';

/**
 * The scenario kinds and their catalogues: the one place both are listed (kinds/default-registry.ts builds
 * it). The record script, the golden tests, the property tests and the catalogue tests all read kinds and
 * scenarios from here, so a scenario added to a catalogue is checked everywhere at once.
 */
export class KindRegistry {
  readonly #kinds = new Map<string, { readonly definition: object; readonly kind: AnyScenarioKind }>();

  /** Pairs a kind with its catalogue, after checking every scenario parses and names a rule the kind has. */
  register<S extends BaseScenario>(definition: KindDefinition<S>, catalogue: readonly S[]): this {
    if (this.#kinds.has(definition.name)) throw new Error(`Scenario kind "${definition.name}" is registered twice`);
    if ('scenarios' in definition)
      throw new Error(`Scenario kind "${definition.name}" carries its own scenarios: pass its catalogue to register()`);
    const kind: ScenarioKind<S> = { ...definition, scenarios: catalogue };
    const names = new Set<string>();
    const rules = new Set((kind.ignoreRules ?? []).map((r) => r.name));
    for (const scenario of kind.scenarios) {
      kind.parse(scenario);
      if (names.has(scenario.name)) throw new Error(`Scenario "${kind.name}/${scenario.name}" is defined twice`);
      names.add(scenario.name);
      const rule = scenario.differsUnder;
      if (rule !== undefined && !rules.has(rule)) {
        throw new Error(
          `Scenario "${kind.name}/${scenario.name}" differs under "${rule}", which is not an ignore rule of the kind (rules: ${[...rules].join(', ') || 'none'})`,
        );
      }
      if (rule !== undefined && kind.candidates.length === 0) {
        throw new Error(
          `Scenario "${kind.name}/${scenario.name}" differs under "${rule}" but the kind has no candidate to record it from`,
        );
      }
    }
    const runners = [kind.control, ...kind.candidates].map((r) => r.name);
    if (new Set(runners).size !== runners.length)
      throw new Error(`Scenario kind "${kind.name}" has two runners with one name`);
    this.#kinds.set(kind.name, { definition, kind });
    return this;
  }

  get(name: string): AnyScenarioKind {
    const entry = this.#kinds.get(name);
    if (!entry) throw new Error(`Unknown scenario kind "${name}" (known: ${this.names().join(', ')})`);
    return entry.kind;
  }

  /** The registered kind of a definition, typed by it: its runners, rules and catalogue. */
  kind<S extends BaseScenario>(definition: KindDefinition<S>): ScenarioKind<S> {
    const entry = this.#kinds.get(definition.name);
    if (entry?.definition !== definition)
      throw new Error(`Scenario kind "${definition.name}" is not registered (known: ${this.names().join(', ')})`);
    // Registered from this very definition with a catalogue of its scenarios (register's signature).
    return entry.kind as unknown as ScenarioKind<S>;
  }

  /** A kind's catalogue, typed by its definition. */
  scenarios<S extends BaseScenario>(definition: KindDefinition<S>): readonly S[] {
    return this.kind(definition).scenarios;
  }

  /** One scenario of a kind's catalogue by name (a test's fixture). */
  scenario<S extends BaseScenario>(definition: KindDefinition<S>, name: string): S {
    const found = this.scenarios(definition).find((s) => s.name === name);
    if (!found) throw new Error(`No scenario "${definition.name}/${name}" in the registry`);
    return found;
  }

  names(): string[] {
    return [...this.#kinds.keys()];
  }

  list(): AnyScenarioKind[] {
    return [...this.#kinds.values()].map((e) => e.kind);
  }
}
