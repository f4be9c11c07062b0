import { randomUUID } from 'node:crypto';
import { systemClock, type Clock, type PreTradeRisk } from '@perps-bot/core';
import { Mutex } from 'async-mutex';
import type { ExecutionOutcome, ExecutionRequest, OrderExecutorOptions } from '../cycle/order-executor.js';
import { OrderOutcomes } from '../cycle/order-outcomes.js';
import { planOrder, type PlannedOrder } from '../cycle/order-plan.js';
import { heldIn, PositionBook } from '../cycle/position-book.js';
import { recordDryRun } from './dry-run.js';
import type { ExecutionJournal } from './execution-events.js';
import { notSent } from './not-sent.js';
import { placeOrder, type PlacementContext } from './place-order.js';
import { checkPreTrade } from './pre-trade.js';
import { sizeReducingOrder } from './reducing-order.js';

/** What TradingCycle needs from an executor: the legacy OrderExecutor and the ExecutionService both are one. */
export interface Executor {
  readonly positions: PositionBook;
  readonly outcomes: OrderOutcomes;
  readonly risk: PreTradeRisk;
  execute(request: ExecutionRequest): Promise<ExecutionOutcome>;
  /** Work an execution left running after its outcome (the shadow's comparisons), done. */
  settled?(): Promise<void>;
}

/** The ExecutionService takes the legacy executor's options, so either can be built from the same wiring. */
export type ExecutionServiceOptions = OrderExecutorOptions;

const defaultClientOrderId = () => `pb-${randomUUID()}`;

/**
 * Decision → sizing → pre-trade risk → dry-run record, or (under one lock, so concurrent symbols never
 * interleave two placements) re-check the symbol, re-size a reducing order and place it. Each step is its
 * own module; the effects are the legacy OrderExecutor's, effect for effect (the execution goldens prove it).
 */
export class ExecutionService implements Executor {
  readonly positions: PositionBook;
  readonly outcomes: OrderOutcomes;
  readonly #o: ExecutionServiceOptions;
  readonly #lock = new Mutex();
  readonly #newClientOrderId: () => string;
  readonly #journal: ExecutionJournal;
  readonly #placement: PlacementContext;

  constructor(options: ExecutionServiceOptions) {
    this.#o = options;
    this.#newClientOrderId = options.newClientOrderId ?? defaultClientOrderId;
    const clock: Clock = options.clock ?? systemClock;
    this.positions = options.positions ?? new PositionBook();
    this.outcomes =
      options.outcomes ??
      new OrderOutcomes({
        botId: options.botId,
        broker: options.broker,
        ordersStore: options.ordersStore,
        eventStore: options.eventStore,
        positions: this.positions,
        stats: options.stats,
        logger: options.logger,
        clock,
      });
    this.#journal = { botId: options.botId, eventStore: options.eventStore, logger: options.logger };
    this.#placement = {
      ...this.#journal,
      broker: options.broker,
      outcomes: this.outcomes,
      stats: options.stats,
      clock,
    };
  }

  get risk(): PreTradeRisk {
    return this.#o.risk;
  }

  async execute(request: ExecutionRequest): Promise<ExecutionOutcome> {
    const o = this.#o;
    const plan = planOrder({
      symbol: request.symbol,
      decision: request.decision,
      mark: request.mark,
      product: request.product,
      position: request.position,
      reduceOnlyMode: o.reduceOnlyMode || (o.reduceOnlyNow?.(request.symbol) ?? false),
      defaultTimeInForce: o.timeInForce,
      clientId: this.#newClientOrderId(),
    });
    if (!plan.ok) {
      o.logger.warn(`No order for ${request.symbol} (${request.decision.action}): ${plan.reason}`, {
        symbol: request.symbol,
      });
      return { status: 'skipped', reason: plan.reason };
    }
    const order = plan.order;
    const verdict = checkPreTrade(o.risk, this.#journal, order, request);
    if (!verdict.allowed) return { status: 'rejected', code: verdict.code, reason: verdict.reason, order };
    if (o.dryRun) {
      recordDryRun(this.#journal, order, request.decision.reason);
      return { status: 'dry_run', order };
    }
    return this.#lock.runExclusive(() => this.#send(order, request));
  }

  async #send(planned: PlannedOrder, request: ExecutionRequest): Promise<ExecutionOutcome> {
    if (this.outcomes.isBlocked(planned.symbol)) {
      return notSent(this.#journal, planned, `an earlier order for ${planned.symbol} has no known outcome yet`);
    }
    // An opening order uses the cycle's positions read; a reducing one is re-sized from one made now.
    if (!planned.reduceOnly)
      return placeOrder(this.#placement, planned, heldIn(request.positions, planned.symbol), false);
    const close = request.decision.action === 'CLOSE';
    const reducing = await sizeReducingOrder(
      { broker: this.#o.broker, positions: this.positions, outcomes: this.outcomes },
      planned,
      close,
    );
    if (!reducing.send) return notSent(this.#journal, planned, reducing.reason);
    return placeOrder(
      this.#placement,
      reducing.order,
      reducing.held,
      close && this.#o.broker.closePosition !== undefined,
    );
  }
}
