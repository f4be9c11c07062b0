import {
  describeError,
  ErrorCodes,
  type IgnoreRule,
  PerpsBotError,
  type Clock,
  type Logger,
  type MarkUpdateSink,
  type QuoteSource,
} from '@perps-bot/core';
import { MarketDataService, type MarketDataServiceOptions, type MarkWindows } from '@perps-bot/market-data';
import { updateMarksLegacy, type LegacyMarkUpdateContext } from '../legacy-mark-update.js';
import { compareSymbol, type ShadowMismatch } from './compare.js';
import { ClockTape, EffectLog, NO_SYMBOL, replayRiskSink } from './effect-log.js';
import { QuoteTape } from './quote-tape.js';
import { markReproduction } from './mark-reproduction.js';
import { candidateRuns, EXPERIMENTS } from '../experiments/ramp.js';
import type { ExperimentRecord, ExperimentReproduction, ExperimentSink } from '../experiments/experiment-record.js';
import { ShadowTally, type ShadowReport, type ShadowResult } from './shadow-report.js';

/** Something that updates marks the way MarketDataService does; the shadow's candidate. */
export interface MarkUpdater {
  updateMarks(): Promise<void>;
}

export interface ShadowOptions {
  /** Throw a ShadowMismatchError after a cycle with a mismatch or a candidate error. For tests only. */
  readonly throwOnMismatch?: boolean;
  /** How many mismatch records the report keeps (the most recent; default 50). */
  readonly maxMismatchRecords?: number;
  /** Accepted differences (core's IgnoreRule, seen through `asMismatch`: the path is the effect). */
  readonly ignoreRules?: readonly IgnoreRule[];
  /** Called with every comparison (a metrics sink, a test). */
  readonly onResult?: (result: ShadowResult) => void;
  /** Builds the candidate for one cycle; defaults to a MarketDataService. Tests pass a broken one. */
  readonly candidate?: (options: MarketDataServiceOptions) => MarkUpdater;
  /** The control; defaults to the legacy mark update. */
  readonly control?: (ctx: LegacyMarkUpdateContext) => Promise<void>;
  /**
   * The share of cycles (0–100, default 100) on which the candidate runs beside the control; the others run
   * the control alone. Which cycles is deterministic (candidateRuns("rest-marks", cycle, percent)).
   */
  readonly percent?: number;
  /** Where each cycle's record goes (the bot's event store: `experiment_result`). */
  readonly record?: ExperimentSink;
  /** The fingerprint of the settings this experiment depends on (configFingerprint), put in every record. */
  readonly fingerprint?: string;
}

export interface ShadowMarketDataOptions extends ShadowOptions {
  /** The bot's symbol list (the same array). */
  readonly symbols: readonly string[];
  readonly broker: () => QuoteSource;
  readonly riskManager: () => MarkUpdateSink | undefined;
  /** The real, shared windows: only the control writes here. */
  readonly markWindows: MarkWindows;
  /** The real logger: gets the control's logs and one warning per mismatch. */
  readonly logger: Logger;
  readonly clock: Clock;
  readonly concurrency?: number;
  /** The moving averages the windows serve (a mismatch's reproduction needs them); default 5/20. */
  readonly shortMa?: number;
  readonly longMa?: number;
}

export class ShadowMismatchError extends PerpsBotError {
  override readonly name = 'ShadowMismatchError';
  readonly mismatches: readonly ShadowMismatch[];

  constructor(cycle: number, mismatches: readonly ShadowMismatch[]) {
    const listed = mismatches.map(
      (m) => `${m.symbol} ${m.effect}: control ${JSON.stringify(m.control)}, candidate ${JSON.stringify(m.candidate)}`,
    );
    super(
      ErrorCodes.SHADOW_MISMATCH,
      `Shadow cycle ${cycle}: the candidate differs from the control\n${listed.join('\n')}`,
      { details: { cycle } },
    );
    this.mismatches = mismatches;
  }
}

/**
 * Shadow mode for mark updates (github/scientist): the legacy path is the control and the only one whose
 * effects are applied (real windows, real risk manager, real logger); the MarketDataService runs as the
 * candidate on the same quotes (fetched once, replayed), the same clock readings and the same risk-manager
 * failures, against a scratch copy of the windows, a recording risk sink and a recording logger. Each
 * symbol's effects are compared every cycle and published as matched, ignored or mismatched.
 *
 * Known limit: appends made to the real windows by someone else (streaming) while the control awaits a
 * quote are seen as control effects; run shadow with streaming off or name an ignore rule for them.
 */
export class ShadowMarketData {
  readonly #options: ShadowMarketDataOptions;
  readonly #tally: ShadowTally;
  #cycle = 0;

  constructor(options: ShadowMarketDataOptions) {
    this.#options = options;
    this.#tally = new ShadowTally(options.maxMismatchRecords ?? 50);
  }

  report(): ShadowReport {
    return this.#tally.report();
  }

  async updateMarks(): Promise<void> {
    const o = this.#options;
    const cycle = this.#cycle++;
    if (!candidateRuns(EXPERIMENTS.restMarks, cycle, o.percent ?? 100)) {
      // Ramp-up: this cycle is the control's alone, exactly as without shadow mode (no tape, no copy).
      this.#tally.skipped();
      await (o.control ?? updateMarksLegacy)({
        symbols: o.symbols,
        broker: o.broker(),
        riskManager: o.riskManager(),
        markWindows: o.markWindows,
        logger: o.logger,
        clock: o.clock,
      });
      o.record?.({ ...this.#context(cycle), outcome: 'skipped' });
      return;
    }
    const tape = new QuoteTape(o.broker);
    const clock = new ClockTape(o.clock);
    const control = new EffectLog();
    const candidate = new EffectLog();
    // Taken before the control runs, so the candidate starts from the same windows.
    const scratch = o.markWindows.copy();
    const scratchBefore = o.record ? scratch.snapshot() : {};
    const risk = o.riskManager();

    const controlStarted = performance.now();
    const stopControl = control.observe(o.markWindows);
    try {
      await (o.control ?? updateMarksLegacy)({
        symbols: o.symbols,
        broker: tape.control,
        riskManager: risk === undefined ? undefined : control.riskSink(risk),
        markWindows: o.markWindows,
        logger: control.logger(o.logger),
        clock: clock.control,
      });
    } finally {
      stopControl();
    }
    const controlMs = performance.now() - controlStarted;

    const candidateStarted = performance.now();
    const stopCandidate = candidate.observe(scratch);
    let candidateError: unknown;
    try {
      const riskReplay = risk === undefined ? undefined : replayRiskSink(control, candidate);
      const build = o.candidate ?? ((options: MarketDataServiceOptions) => new MarketDataService(options));
      await build({
        symbols: o.symbols,
        broker: () => tape.candidate,
        riskManager: () => riskReplay,
        logger: candidate.logger(),
        clock: clock.replay(),
        markWindows: scratch,
        ...(o.concurrency === undefined ? {} : { concurrency: o.concurrency }),
      }).updateMarks();
    } catch (error) {
      candidateError = error;
    } finally {
      stopCandidate();
    }
    const candidateMs = performance.now() - candidateStarted;
    this.#tally.cycle(controlMs, candidateMs, candidateError !== undefined);
    const windows = scratchBefore;
    const results = this.#publish(cycle, tape, control, candidate, candidateError);
    if (o.record) {
      await this.#record(cycle, results, candidateError, { controlMs, candidateMs }, async () =>
        markReproduction({
          symbols: o.symbols,
          shortMa: o.shortMa ?? 5,
          longMa: o.longMa ?? 20,
          windows,
          answers: await tape.answers(),
          clockReadings: clock.readings(),
          riskCalls: control.riskCalls,
        }),
      );
    }
    if (o.throwOnMismatch && results.unresolved.length > 0) throw new ShadowMismatchError(cycle, results.unresolved);
  }

  #context(cycle: number): Pick<ExperimentRecord, 'experiment' | 'cycle' | 'symbols' | 'fingerprint'> {
    const o = this.#options;
    return { experiment: EXPERIMENTS.restMarks, cycle, symbols: [...o.symbols], fingerprint: o.fingerprint ?? '' };
  }

  /** One record per compared cycle: small for a match; a mismatch carries both values and its reproduction. */
  async #record(
    cycle: number,
    results: { unresolved: ShadowMismatch[]; ignoredBy: Set<string>; accepted: ShadowMismatch[] },
    candidateError: unknown,
    durations: { controlMs: number; candidateMs: number },
    reproduce: () => Promise<ExperimentReproduction>,
  ): Promise<void> {
    const rules = results.ignoredBy.size > 0 ? { rules: [...results.ignoredBy] } : {};
    const base = { ...this.#context(cycle), durations, ...rules };
    const described = (list: readonly ShadowMismatch[]) =>
      list
        .filter((m) => m.effect !== 'exception')
        .map((m) => ({ symbol: m.symbol, effect: m.effect, control: m.control, candidate: m.candidate }));
    if (candidateError === undefined && results.unresolved.length === 0) {
      // An ignored comparison keeps what its rules accepted, both values (as the execution shadow's records do):
      // a rule that accepts too much shows in the store, not only in a count.
      this.#options.record?.(
        results.ignoredBy.size > 0
          ? { ...base, outcome: 'ignored', differences: described(results.accepted) }
          : { ...base, outcome: 'match' },
      );
      return;
    }
    const differences = described(results.unresolved);
    this.#options.record?.({
      ...base,
      outcome: candidateError === undefined ? 'mismatch' : 'candidate_error',
      ...(candidateError === undefined ? {} : { error: describeError(candidateError) }),
      differences,
      reproduction: await reproduce(),
    });
  }

  #publish(
    cycle: number,
    tape: QuoteTape,
    control: EffectLog,
    candidate: EffectLog,
    candidateError: unknown,
  ): { unresolved: ShadowMismatch[]; ignoredBy: Set<string>; accepted: ShadowMismatch[] } {
    const o = this.#options;
    const ignoredBy = new Set<string>();
    const accepted: ShadowMismatch[] = [];
    const counts = tape.counts();
    const symbols = [...new Set([...o.symbols, ...counts.keys(), ...control.symbols(), ...candidate.symbols()])];
    const unresolved: ShadowMismatch[] = [];
    if (candidateError !== undefined) {
      const exception: ShadowMismatch = {
        symbol: NO_SYMBOL,
        cycle,
        effect: 'exception',
        control: null,
        candidate: describeError(candidateError),
      };
      unresolved.push(exception);
      this.#tally.record([exception]);
      this.#warn(exception);
    }
    for (const symbol of symbols) {
      const found = compareSymbol(symbol, cycle, control.get(symbol), candidate.get(symbol), counts.get(symbol));
      const result = this.#tally.judge(symbol, cycle, found, o.ignoreRules ?? []);
      for (const mismatch of result.mismatches) this.#warn(mismatch);
      for (const rule of result.ignoredBy) ignoredBy.add(rule);
      unresolved.push(...result.mismatches);
      accepted.push(...result.accepted);
      o.onResult?.(result);
    }
    return { unresolved, ignoredBy, accepted };
  }

  #warn(m: ShadowMismatch): void {
    this.#options.logger.warn(`Shadow mismatch for ${m.symbol} in cycle ${m.cycle}: ${m.effect}`, {
      symbol: m.symbol,
      cycle: m.cycle,
      effect: m.effect,
      control: m.control,
      candidate: m.candidate,
    });
  }
}
