import {
  decimalToString,
  describeError,
  silentLogger,
  judgeMismatches,
  type Brokerage,
  type IgnoreRule,
  type Mismatch,
  type ClosePositionRequest,
  type Order,
  type PlaceOrderRequest,
  type Position,
  type RiskDecision,
} from '@perps-bot/core';
import type { ExecutionOutcome, ExecutionRequest, OrderExecutorOptions } from '../cycle/order-executor.js';
import type { OrderOutcomes } from '../cycle/order-outcomes.js';
import type { PositionBook } from '../cycle/position-book.js';
import { emptyOrderCounters } from '../cycle/order-stats.js';
import { ExecutionService, type Executor, type ExecutionServiceOptions } from './execution-service.js';
import { executionReproduction } from './execution-reproduction.js';
import { WatchedControl, type ControlSaw, type PositionsRead } from './watched-control.js';
import { candidateRuns, EXPERIMENTS } from '../experiments/ramp.js';
import type { ExperimentSink } from '../experiments/experiment-record.js';

/** What one side meant to do with a decision: the order it would send (or record as a dry run), or why not. */
export type IntendedOrder =
  | {
      readonly kind: 'order';
      readonly symbol: string;
      readonly side: string;
      readonly quantity: string;
      readonly reduceOnly: boolean;
      readonly clientId: string;
      readonly dryRun: boolean;
    }
  | { readonly kind: 'rejected'; readonly code: string }
  | { readonly kind: 'none'; readonly reason: string };

export interface ExecutionMismatch {
  readonly symbol: string;
  readonly control: IntendedOrder;
  readonly candidate: IntendedOrder | { readonly kind: 'error'; readonly error: string };
}

export interface ExecutionShadowReport {
  runs: number;
  matched: number;
  mismatched: number;
  /** Comparisons whose difference an ignore rule accepted. */
  ignored: number;
  /** How many differences each ignore rule accepted. */
  readonly ignoredByRule: Record<string, number>;
  candidateErrors: number;
  /** What the candidate sent to its paper twin: never to the exchange. */
  paperOrders: number;
  /** Executions the ramp-up left to the control alone (not compared, not in `runs`). */
  skipped: number;
  readonly mismatches: ExecutionMismatch[];
}

export interface ShadowExecutionOptions {
  /** Latest mismatches kept in the report (default 50). */
  readonly keepMismatches?: number;
  /** Where a mismatch is published besides the report (default: a warning through the bot's logger). */
  readonly publish?: (mismatch: ExecutionMismatch) => void;
  /** Accepted differences (core's IgnoreRule, seen through `executionMismatch`: the path is "order"). */
  readonly ignoreRules?: readonly IgnoreRule[];
  /** The trading cycle's number (TradingCycle passes its count): what the ramp-up and the records key on. */
  readonly cycle?: () => number;
  /** The share of cycles (0–100, default 100) on which the candidate runs: candidateRuns("execution", cycle, percent). */
  readonly percent?: number;
  /** Where each execution's record goes (the bot's event store: `experiment_result`). */
  readonly record?: ExperimentSink;
  /** The fingerprint of the settings this experiment depends on, put in every record. */
  readonly fingerprint?: string;
  /** Builds the candidate for one execution; defaults to an ExecutionService. Tests pass a divergent one. */
  readonly candidate?: (options: ExecutionServiceOptions) => Pick<Executor, 'execute'>;
}

/** The shared ignore-rule view of an execution-shadow mismatch: the intended orders at path "order". */
const executionMismatch = (m: ExecutionMismatch): Mismatch => ({
  path: 'order',
  control: m.control,
  candidate: m.candidate,
  context: { experiment: 'execution', symbol: m.symbol },
});

function intended(outcome: ExecutionOutcome): IntendedOrder {
  if (outcome.status === 'skipped') return { kind: 'none', reason: outcome.reason };
  if (outcome.status === 'rejected') return { kind: 'rejected', code: outcome.code };
  const o = outcome.order;
  return {
    kind: 'order',
    symbol: o.symbol,
    side: o.side,
    quantity: decimalToString(o.quantity),
    reduceOnly: o.reduceOnly,
    clientId: o.clientId,
    dryRun: outcome.status === 'dry_run',
  };
}

interface CandidateKnows {
  readonly blocked: boolean;
  readonly settled: boolean;
  readonly clientId: string;
  readonly verdict: RiskDecision | undefined;
  readonly read: PositionsRead | undefined;
}

/**
 * The paper twin the candidate sends to: seeded with the positions the cycle read, every order filled in full
 * at once, nothing forwarded anywhere. It has closePosition exactly when the real broker has.
 */
class PaperTwin {
  sent = 0;
  readonly closePosition: ((request: ClosePositionRequest) => Promise<Order>) | undefined;

  constructor(
    readonly request: ExecutionRequest,
    hasClose: boolean,
    readonly read: CandidateKnows['read'],
  ) {
    this.closePosition = hasClose
      ? (r) =>
          this.#fill({
            symbol: r.symbol,
            side: 'SELL',
            type: 'MARKET',
            quantity: r.quantity,
            reduceOnly: true,
            clientId: r.clientId,
          })
      : undefined;
  }
  /** The control's own read made for this decision when there was one, else the cycle's. */
  listPositions = async (): Promise<Position[]> => {
    if (this.read && !this.read.ok) throw this.read.error;
    return [...(this.read?.positions ?? this.request.positions)];
  };
  placeOrder = (r: PlaceOrderRequest) => this.#fill(r);
  getOrder = async () => null;
  getOrderByClientId = async () => null;

  async #fill(r: PlaceOrderRequest): Promise<Order> {
    this.sent += 1;
    const now = new Date(0);
    return {
      id: `paper-${this.sent}`,
      clientId: r.clientId ?? null,
      symbol: r.symbol,
      side: r.side,
      type: 'MARKET',
      quantity: r.quantity,
      price: null,
      stopPrice: null,
      tif: r.tif ?? 'GTC',
      status: 'FILLED',
      filledQuantity: r.quantity,
      avgFillPrice: null,
      reduceOnly: r.reduceOnly ?? false,
      submittedAt: now,
      updatedAt: now,
    };
  }
}

/**
 * USE_NEW_EXECUTION_SERVICE=shadow: the frozen OrderExecutor (the control) places the orders, exactly as alone,
 * and its outcome is returned as soon as it has one. After it, for the same decision and beside whatever the
 * cycle does next, the ExecutionService (the candidate) runs against a paper twin, told what the control saw
 * (blocked and settled as it found them inside the executor's lock, its positions read, its pre-trade verdict,
 * its client order id), with no stores, no events, no counters and a silent logger. The intended orders
 * (symbol, side, size, reduce-only, client id) are compared; each mismatch is logged as a warning and kept in
 * `report()`. `settled()` waits for the comparisons still running.
 */
export class ShadowExecution implements Executor {
  readonly #control: WatchedControl;
  readonly #o: OrderExecutorOptions;
  readonly #keep: number;
  readonly #report: ExecutionShadowReport = {
    runs: 0,
    matched: 0,
    mismatched: 0,
    ignored: 0,
    ignoredByRule: {},
    candidateErrors: 0,
    paperOrders: 0,
    skipped: 0,
    mismatches: [],
  };
  readonly #rules: readonly IgnoreRule[];
  readonly #shadow: ShadowExecutionOptions;
  readonly #publish: ((mismatch: ExecutionMismatch) => void) | undefined;
  /** Comparisons still running: the candidate runs after the control, never in the control's way. */
  readonly #pending = new Set<Promise<void>>();

  constructor(options: OrderExecutorOptions, shadow: ShadowExecutionOptions = {}) {
    this.#o = options;
    this.#keep = shadow.keepMismatches ?? 50;
    this.#publish = shadow.publish;
    this.#rules = shadow.ignoreRules ?? [];
    this.#shadow = shadow;
    this.#control = new WatchedControl(options);
  }

  get positions(): PositionBook {
    return this.#control.positions;
  }
  get outcomes(): OrderOutcomes {
    return this.#control.outcomes;
  }

  /** Resolves once every comparison started so far has been made, counted and recorded. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }
  get risk() {
    return this.#o.risk;
  }

  report(): ExecutionShadowReport {
    return {
      ...this.#report,
      ignoredByRule: { ...this.#report.ignoredByRule },
      mismatches: [...this.#report.mismatches],
    };
  }

  async execute(request: ExecutionRequest): Promise<ExecutionOutcome> {
    const cycle = this.#shadow.cycle?.() ?? 0;
    if (!candidateRuns(EXPERIMENTS.execution, cycle, this.#shadow.percent ?? 100)) {
      // Ramp-up: the control alone, as without shadow mode.
      this.#report.skipped += 1;
      const { outcome } = await this.#control.run(request);
      this.#shadow.record?.({ ...this.#context(cycle, request.symbol), outcome: 'skipped' });
      return outcome;
    }
    const reduceOnlyNow = this.#o.reduceOnlyNow?.(request.symbol) ?? false;
    const controlStarted = performance.now();
    const { outcome, saw } = await this.#control.run(request);
    const controlMs = performance.now() - controlStarted;
    // The control's outcome goes back at once: the candidate runs beside what follows, so however long it takes
    // it cannot delay or reorder anything the control does next (two overlapping cycles finish as they would alone).
    const comparison = this.#compareWithCandidate(request, { cycle, reduceOnlyNow, outcome, saw, controlMs }).catch(
      (error: unknown) =>
        this.#o.logger.warn(`Execution shadow comparison for ${request.symbol} failed: ${describeError(error)}`, {
          symbol: request.symbol,
        }),
    );
    const tracked = comparison.finally(() => this.#pending.delete(tracked));
    this.#pending.add(tracked);
    return outcome;
  }

  async #compareWithCandidate(
    request: ExecutionRequest,
    run: {
      readonly cycle: number;
      readonly reduceOnlyNow: boolean;
      readonly outcome: ExecutionOutcome;
      readonly saw: ControlSaw;
      readonly controlMs: number;
    },
  ): Promise<void> {
    const { cycle, outcome, saw } = run;
    const candidateStarted = performance.now();
    let candidate: IntendedOrder | { kind: 'error'; error: string };
    try {
      candidate = intended(
        await this.#candidate(request, {
          blocked: saw.atLock?.blocked ?? saw.before.blocked,
          settled: saw.atLock?.settled ?? saw.before.settled,
          clientId: saw.clientId,
          read: saw.read,
          verdict: saw.verdict,
        }),
      );
    } catch (error) {
      candidate = { kind: 'error', error: describeError(error) };
      this.#report.candidateErrors += 1;
    }
    const candidateMs = performance.now() - candidateStarted;
    const matched = this.#compare(request.symbol, intended(outcome), candidate);
    const record = this.#shadow.record;
    if (!record) return;
    const base = {
      ...this.#context(cycle, request.symbol),
      durations: { controlMs: run.controlMs, candidateMs },
    };
    const differences = [{ symbol: request.symbol, effect: 'intended-order', control: intended(outcome), candidate }];
    if (matched === true) record({ ...base, outcome: 'match' });
    else if (Array.isArray(matched)) record({ ...base, outcome: 'ignored', rules: matched, differences });
    else
      record({
        ...base,
        outcome: candidate.kind === 'error' ? 'candidate_error' : 'mismatch',
        ...(candidate.kind === 'error' ? { error: candidate.error } : {}),
        differences,
        reproduction: executionReproduction({
          request,
          verdict: saw.verdict,
          reduceOnlyNow: run.reduceOnlyNow,
          placeAnswers: saw.placeAnswers,
          hasClose: this.#o.broker.closePosition !== undefined,
          dryRun: this.#o.dryRun,
          reduceOnlyMode: this.#o.reduceOnlyMode,
          timeInForce: this.#o.timeInForce,
          ordersStoreFails: [...saw.storeFails],
          atLock: saw.atLock,
          read: saw.read,
          clientId: saw.clientId,
        }),
      });
  }

  #context(cycle: number, symbol: string) {
    return { experiment: EXPERIMENTS.execution, cycle, symbols: [symbol], fingerprint: this.#shadow.fingerprint ?? '' };
  }

  #candidate(request: ExecutionRequest, known: CandidateKnows): Promise<ExecutionOutcome> {
    const twin = new PaperTwin(request, this.#o.broker.closePosition !== undefined, known.read);
    // Read-only stand-ins for the control's books, as they were before the control ran: never written.
    const outcomes = {
      isBlocked: () => known.blocked,
      begin: () => {},
      failed: () => {},
      unknown: () => {},
      placed: () => true,
    } as unknown as OrderOutcomes;
    const positions = { observe: () => [], isSettled: () => known.settled } as unknown as PositionBook;
    const build = this.#shadow.candidate ?? ((o: ExecutionServiceOptions) => new ExecutionService(o));
    const service = build({
      ...this.#o,
      broker: twin as unknown as Brokerage,
      logger: silentLogger,
      eventStore: undefined,
      ordersStore: undefined,
      stats: emptyOrderCounters(),
      newClientOrderId: () => known.clientId,
      risk: { preTradeCheck: () => known.verdict ?? { allowed: true } },
      outcomes,
      positions,
    });
    return service.execute(request).finally(() => {
      this.#report.paperOrders += twin.sent;
    });
  }

  /** Counts and publishes one comparison; true when it matched, the rules' names when ignore rules accepted it. */
  #compare(
    symbol: string,
    control: IntendedOrder,
    candidate: IntendedOrder | { kind: 'error'; error: string },
  ): boolean | string[] {
    const r = this.#report;
    r.runs += 1;
    if (JSON.stringify(control) === JSON.stringify(candidate)) {
      r.matched += 1;
      return true;
    }
    const mismatch: ExecutionMismatch = { symbol, control, candidate };
    const { ignoredBy } = judgeMismatches([mismatch], this.#rules, executionMismatch);
    if (ignoredBy.size > 0) {
      r.ignored += 1;
      for (const [rule, count] of ignoredBy) r.ignoredByRule[rule] = (r.ignoredByRule[rule] ?? 0) + count;
      return [...ignoredBy.keys()];
    }
    r.mismatched += 1;
    r.mismatches.push(mismatch);
    if (r.mismatches.length > this.#keep) r.mismatches.shift();
    if (this.#publish) this.#publish({ symbol, control, candidate });
    else
      this.#o.logger.warn(
        `Execution shadow mismatch for ${symbol}: control ${JSON.stringify(control)}, candidate ${JSON.stringify(candidate)}`,
        { symbol },
      );
    return false;
  }
}
