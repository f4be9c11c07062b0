import { randomUUID } from 'node:crypto';
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
  type OrdersStore,
  type PlaceOrderRequest,
  type Position,
  type PreTradeRisk,
  type RiskDecision,
} from '@perps-bot/core';
import {
  OrderExecutor,
  type ExecutionOutcome,
  type ExecutionRequest,
  type OrderExecutorOptions,
} from '../cycle/order-executor.js';
import type { OrderOutcomes } from '../cycle/order-outcomes.js';
import type { PositionBook } from '../cycle/position-book.js';
import { emptyOrderCounters } from '../cycle/order-stats.js';
import { ExecutionService, type Executor, type ExecutionServiceOptions } from './execution-service.js';
import { describePlaceAnswer, executionReproduction, type PlaceAnswer } from './execution-reproduction.js';
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
  readonly read: { ok: true; positions: Position[] } | { ok: false; error: unknown } | undefined;
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
 * USE_NEW_EXECUTION_SERVICE=shadow: the frozen OrderExecutor (the control) places the orders, exactly as alone;
 * after it, for the same decision, the ExecutionService (the candidate) runs against a paper twin, knowing what
 * the control knew before it ran (is the symbol blocked, are its positions settled), with no stores, no
 * events, no counters, a silent logger, and the client order id the control used. The intended orders (symbol, side, size, reduce-only, client id) are
 * compared; each mismatch is logged as a warning and kept in `report()`.
 */
export class ShadowExecution implements Executor {
  readonly #control: OrderExecutor;
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
  /** The real broker's answers to the control's order requests, for this execution's reproduction. */
  #placeAnswers: PlaceAnswer[] = [];
  /** Orders-store writes of the control that threw during this execution. */
  readonly #storeFails = new Set<'recordIntent' | 'upsert' | 'updateIntent'>();
  /** The client order id the control generated last: generated in the synchronous start of its execute(). */
  #lastId = '';
  /** The control's pre-trade verdicts by symbol: the candidate replays them and never asks the risk manager. */
  readonly #verdicts = new Map<string, RiskDecision>();
  /** The control's latest positions read (or its failure), counted, for the paper twin to answer the same. */
  #reads = 0;
  #lastRead: { ok: true; positions: Position[] } | { ok: false; error: unknown } | undefined;
  readonly #publish: ((mismatch: ExecutionMismatch) => void) | undefined;

  constructor(options: OrderExecutorOptions, shadow: ShadowExecutionOptions = {}) {
    this.#o = options;
    this.#keep = shadow.keepMismatches ?? 50;
    const fresh = options.newClientOrderId ?? (() => `pb-${randomUUID()}`);
    this.#publish = shadow.publish;
    this.#rules = shadow.ignoreRules ?? [];
    this.#shadow = shadow;
    const risk: PreTradeRisk = {
      preTradeCheck: (r) => {
        const verdict = options.risk.preTradeCheck(r);
        this.#verdicts.set(r.symbol, verdict);
        return verdict;
      },
    };
    const broker = options.broker;
    const close = broker.closePosition;
    const answered = <T extends Order>(pending: Promise<T>): Promise<T> =>
      pending.then(
        (order) => {
          this.#placeAnswers.push(describePlaceAnswer({ ok: true, order }));
          return order;
        },
        (error: unknown) => {
          this.#placeAnswers.push(describePlaceAnswer({ ok: false, error }));
          throw error;
        },
      );
    const tapped: OrderExecutorOptions['broker'] = {
      placeOrder: (r) => answered(broker.placeOrder(r)),
      getOrder: (id) => broker.getOrder(id),
      getOrderByClientId: (id, where) => broker.getOrderByClientId(id, where),
      listPositions: async () => {
        this.#reads += 1;
        try {
          const positions = await broker.listPositions();
          this.#lastRead = { ok: true, positions };
          return positions;
        } catch (error) {
          this.#lastRead = { ok: false, error };
          throw error;
        }
      },
      ...(close ? { closePosition: (r: ClosePositionRequest) => answered(close.call(broker, r)) } : {}),
    };
    this.#control = new OrderExecutor({
      ...options,
      ...(options.ordersStore ? { ordersStore: this.#tapStore(options.ordersStore) } : {}),
      risk,
      broker: tapped,
      newClientOrderId: () => (this.#lastId = fresh()),
    });
  }

  /** The control's orders store as it is, noting which writes failed (a mismatch's reproduction replays them). */
  #tapStore(store: OrdersStore): OrdersStore {
    const fails = this.#storeFails;
    return new Proxy(store, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function') return value;
        const method = value as (...args: unknown[]) => unknown;
        if (key !== 'recordIntent' && key !== 'upsert' && key !== 'updateIntent') return method.bind(target);
        return (...args: unknown[]) => {
          try {
            return method.apply(target, args);
          } catch (error) {
            fails.add(key);
            throw error;
          }
        };
      },
    });
  }

  get positions(): PositionBook {
    return this.#control.positions;
  }
  get outcomes(): OrderOutcomes {
    return this.#control.outcomes;
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
      const outcome = await this.#control.execute(request);
      this.#shadow.record?.({ ...this.#context(cycle, request.symbol), outcome: 'skipped' });
      return outcome;
    }
    const reduceOnlyNow = this.#o.reduceOnlyNow?.(request.symbol) ?? false;
    // What the candidate may know, taken before the control changes it; then the control runs exactly as it
    // would alone (the candidate only starts after it, so no effect of the control is delayed or reordered).
    const blocked = this.#control.outcomes.isBlocked(request.symbol);
    const settled = this.#control.positions.isSettled(request.symbol);
    this.#lastId = '';
    this.#verdicts.delete(request.symbol);
    const reads = this.#reads;
    this.#placeAnswers = [];
    this.#storeFails.clear();
    const controlStarted = performance.now();
    const running = this.#control.execute(request);
    const clientId = this.#lastId;
    const outcome = await running;
    const controlMs = performance.now() - controlStarted;
    const placeAnswers = this.#placeAnswers;
    const candidateStarted = performance.now();
    let candidate: IntendedOrder | { kind: 'error'; error: string };
    try {
      const read = this.#reads === reads ? undefined : this.#lastRead;
      candidate = intended(
        await this.#candidate(request, {
          blocked,
          settled,
          clientId,
          read,
          verdict: this.#verdicts.get(request.symbol),
        }),
      );
    } catch (error) {
      candidate = { kind: 'error', error: describeError(error) };
      this.#report.candidateErrors += 1;
    }
    const candidateMs = performance.now() - candidateStarted;
    const matched = this.#compare(request.symbol, intended(outcome), candidate);
    const record = this.#shadow.record;
    if (record) {
      const base = { ...this.#context(cycle, request.symbol), durations: { controlMs, candidateMs } };
      if (matched === true) record({ ...base, outcome: 'match' });
      else if (Array.isArray(matched))
        record({
          ...base,
          outcome: 'ignored',
          rules: matched,
          differences: [{ symbol: request.symbol, effect: 'intended-order', control: intended(outcome), candidate }],
        });
      else
        record({
          ...base,
          outcome: candidate.kind === 'error' ? 'candidate_error' : 'mismatch',
          ...(candidate.kind === 'error' ? { error: candidate.error } : {}),
          differences: [{ symbol: request.symbol, effect: 'intended-order', control: intended(outcome), candidate }],
          reproduction: executionReproduction({
            request,
            verdict: this.#verdicts.get(request.symbol),
            reduceOnlyNow,
            placeAnswers,
            hasClose: this.#o.broker.closePosition !== undefined,
            dryRun: this.#o.dryRun,
            reduceOnlyMode: this.#o.reduceOnlyMode,
            timeInForce: this.#o.timeInForce,
            ordersStoreFails: [...this.#storeFails],
          }),
        });
    }
    return outcome;
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
