import { judgeMismatches, type IgnoreRule } from '@perps-bot/core';
import { asMismatch, type ShadowMismatch } from './compare.js';

/** The outcome of one comparison: one symbol in one cycle. */
export interface ShadowResult {
  readonly symbol: string;
  readonly cycle: number;
  readonly outcome: 'matched' | 'mismatched' | 'ignored';
  /** Mismatches left after the ignore rules. */
  readonly mismatches: readonly ShadowMismatch[];
  /** Names of the rules that ignored something in this comparison. */
  readonly ignoredBy: readonly string[];
  /** The differences those rules accepted, with both values. */
  readonly accepted: readonly ShadowMismatch[];
}

export interface ShadowReport {
  /** Shadow cycles run (updateMarks calls), compared or not. */
  readonly cycles: number;
  /** Cycles the ramp-up (…_SHADOW_PERCENT) left to the control alone: not compared, not in `runs`. */
  readonly skippedCycles: number;
  /** Comparisons made, one per symbol per cycle: matched + mismatched + ignored. */
  readonly runs: number;
  readonly matched: number;
  readonly mismatched: number;
  /** Comparisons whose every difference was accepted by an ignore rule. */
  readonly ignored: number;
  /** How many mismatches each ignore rule accepted. */
  readonly ignoredByRule: Readonly<Record<string, number>>;
  /** Cycles in which the candidate threw. */
  readonly candidateErrors: number;
  /** The most recent mismatch records, oldest first. */
  readonly mismatches: readonly ShadowMismatch[];
  /** Wall time spent in each side, in total (information only: never compared, never in a golden file). */
  readonly durations: { readonly controlMs: number; readonly candidateMs: number };
}

/** Accumulates comparison results into the read-only report. */
export class ShadowTally {
  #cycles = 0;
  #skipped = 0;
  #matched = 0;
  #mismatched = 0;
  #ignored = 0;
  #candidateErrors = 0;
  #controlMs = 0;
  #candidateMs = 0;
  readonly #ignoredByRule: Record<string, number> = {};
  readonly #mismatches: ShadowMismatch[] = [];
  readonly #keep: number;

  constructor(keep: number) {
    this.#keep = Math.max(0, keep);
  }

  skipped(): void {
    this.#cycles++;
    this.#skipped++;
  }

  cycle(controlMs: number, candidateMs: number, candidateThrew: boolean): void {
    this.#cycles++;
    this.#controlMs += controlMs;
    this.#candidateMs += candidateMs;
    if (candidateThrew) this.#candidateErrors++;
  }

  /** Applies the ignore rules to one comparison's mismatches and counts the result. */
  judge(symbol: string, cycle: number, found: readonly ShadowMismatch[], rules: readonly IgnoreRule[]): ShadowResult {
    const { kept, ignoredBy } = judgeMismatches(found, rules, asMismatch);
    for (const [rule, count] of ignoredBy) this.#ignoredByRule[rule] = (this.#ignoredByRule[rule] ?? 0) + count;
    const outcome = kept.length > 0 ? 'mismatched' : ignoredBy.size > 0 ? 'ignored' : 'matched';
    if (outcome === 'matched') this.#matched++;
    else if (outcome === 'ignored') this.#ignored++;
    else this.#mismatched++;
    this.record(kept);
    const accepted = found.filter((m) => !kept.includes(m));
    return { symbol, cycle, outcome, mismatches: kept, ignoredBy: [...ignoredBy.keys()], accepted };
  }

  record(mismatches: readonly ShadowMismatch[]): void {
    this.#mismatches.push(...mismatches);
    if (this.#mismatches.length > this.#keep) this.#mismatches.splice(0, this.#mismatches.length - this.#keep);
  }

  report(): ShadowReport {
    return {
      cycles: this.#cycles,
      skippedCycles: this.#skipped,
      runs: this.#matched + this.#mismatched + this.#ignored,
      matched: this.#matched,
      mismatched: this.#mismatched,
      ignored: this.#ignored,
      ignoredByRule: { ...this.#ignoredByRule },
      candidateErrors: this.#candidateErrors,
      mismatches: [...this.#mismatches],
      durations: { controlMs: this.#controlMs, candidateMs: this.#candidateMs },
    };
  }
}
