import type { AnyScenarioKind } from './kind.js';

/** The scenario kinds the record script and the golden tests iterate over. */
export class KindRegistry {
  readonly #kinds = new Map<string, AnyScenarioKind>();

  register(kind: AnyScenarioKind): this {
    if (this.#kinds.has(kind.name)) throw new Error(`Scenario kind "${kind.name}" is registered twice`);
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
    this.#kinds.set(kind.name, kind);
    return this;
  }

  get(name: string): AnyScenarioKind {
    const kind = this.#kinds.get(name);
    if (!kind) throw new Error(`Unknown scenario kind "${name}" (known: ${this.names().join(', ')})`);
    return kind;
  }

  names(): string[] {
    return [...this.#kinds.keys()];
  }

  list(): AnyScenarioKind[] {
    return [...this.#kinds.values()];
  }
}
