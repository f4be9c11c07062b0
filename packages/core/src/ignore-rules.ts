/**
 * The one vocabulary for accepted differences between a control (the code being replaced) and a candidate
 * (its replacement), shared by the golden-master harness and the runtime shadows (mark updates, execution).
 * It lives in core because both sides depend on core and neither may depend on the other: the harness may
 * import orchestration, but a runtime package must never import the harness.
 */

/** Where the comparison was made and about what: enough for a rule to recognise exactly its difference. */
export interface MismatchContext {
  /** The comparison: a harness scenario kind ("stream") or a runtime experiment ("mark-update", "execution"). */
  readonly experiment: string;
  readonly symbol?: string;
  readonly cycle?: number;
  /** The harness scenario the recordings come from. */
  readonly scenario?: string;
  /**
   * Both sides whole, where the comparer holds them (the harness's two recordings): for a rule whose
   * difference shows at several paths at once, so it can accept a consequence only together with its cause.
   */
  readonly whole?: { readonly control: unknown; readonly candidate: unknown };
}

/** One difference between the control and the candidate. Values are JSON-safe (decimals as text). */
export interface Mismatch {
  /**
   * What differs: a harness section ("channels.effects", "final.windows") or a runtime effect ("window",
   * "risk", "log", "fetch", "exception", "order").
   */
  readonly path: string;
  /** The control's value at `path`; undefined when the control has nothing there. */
  readonly control: unknown;
  /** The candidate's value at `path`; undefined when the candidate has nothing there. */
  readonly candidate: unknown;
  readonly context: MismatchContext;
}

/**
 * A known, accepted difference (github/scientist's ignore rules): named, with the reason it is accepted, and
 * counted under its name wherever it applies, never silent. `ignores` must recognise exactly the difference
 * it names, so a different change at the same path is still a mismatch. Names are stable: they appear in
 * published mismatch events, shadow reports and golden files (`differsUnder`).
 */
export interface IgnoreRule {
  readonly name: string;
  readonly reason: string;
  ignores(mismatch: Mismatch): boolean;
}

/** The first rule that ignores the mismatch, or undefined when it stands. */
export function ignoringRule(rules: readonly IgnoreRule[], mismatch: Mismatch): IgnoreRule | undefined {
  return rules.find((rule) => rule.ignores(mismatch));
}

/**
 * Sorts what a comparer found (its own records, seen as mismatches through `asMismatch`) into those no rule accepts and the names of the rules that accepted the others, with a
 * count per rule. Both the harness's comparison and the runtime shadows' tallies judge through this.
 */
export function judgeMismatches<T>(
  found: readonly T[],
  rules: readonly IgnoreRule[],
  asMismatch: (item: T) => Mismatch,
): { readonly kept: T[]; readonly ignoredBy: ReadonlyMap<string, number> } {
  const kept: T[] = [];
  const ignoredBy = new Map<string, number>();
  for (const mismatch of found) {
    const rule = rules.length === 0 ? undefined : ignoringRule(rules, asMismatch(mismatch));
    if (rule) ignoredBy.set(rule.name, (ignoredBy.get(rule.name) ?? 0) + 1);
    else kept.push(mismatch);
  }
  return { kept, ignoredBy };
}
