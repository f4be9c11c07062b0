import { randomUUID } from 'node:crypto';
import {
  describeError,
  systemClock,
  type Brokerage,
  type Clock,
  type EventStore,
  type Logger,
  Decimal,
  type Order,
  type OrderIntent,
  type OrdersStore,
  type Position,
  type PreTradeRisk,
  type Product,
  type RiskRejectCode,
  type TimeInForce,
} from '@perps-bot/core';
import { Mutex } from 'async-mutex';
import type { Decision, PositionState } from './decision.js';
import { describePlannedOrder, planOrder, type PlannedOrder } from './order-plan.js';
import type { OrderCounters } from './order-stats.js';
import { OrderOutcomes, outcomeUnknown } from './order-outcomes.js';
import { heldIn, PositionBook } from './position-book.js';
import type { Executor } from '../execution/execution-service.js';

export interface OrderExecutorOptions {
  readonly botId: string;
  readonly broker: Pick<
    Brokerage,
    'placeOrder' | 'getOrder' | 'getOrderByClientId' | 'listPositions' | 'closePosition'
  >;
  readonly risk: PreTradeRisk;
  readonly logger: Logger;
  readonly eventStore: EventStore | undefined;
  readonly ordersStore: OrdersStore | undefined;
  readonly stats: OrderCounters;
  readonly dryRun: boolean;
  readonly reduceOnlyMode: boolean;
  readonly timeInForce: TimeInForce;
  /** A fresh client order id per order: the exchange's idempotency key. */
  readonly newClientOrderId?: () => string;
  readonly clock?: Clock;
  /** The bot's own fills against the positions answers (the cycle shares one with the executor). */
  readonly positions?: PositionBook;
  /** Intents and unknown outcomes (the cycle shares one with the executor). */
  readonly outcomes?: OrderOutcomes;
  /** Whether the risk manager has the symbol (or the whole bot) reduce-only right now. */
  readonly reduceOnlyNow?: (symbol: string) => boolean;
}

export interface ExecutionRequest {
  readonly symbol: string;
  readonly decision: Decision;
  readonly mark: Decimal;
  readonly product: Product;
  readonly position: PositionState | undefined;
  readonly equity: Decimal;
  readonly positions: readonly Position[];
  /** Contract sizes of the positions' products, for the exposure check (see PreTradeRequest). */
  readonly contractSizes?: Readonly<Record<string, Decimal>>;
}

export type ExecutionOutcome =
  | { readonly status: 'skipped'; readonly reason: string }
  | {
      readonly status: 'rejected';
      readonly code: RiskRejectCode;
      readonly reason: string;
      readonly order: PlannedOrder;
    }
  | { readonly status: 'dry_run'; readonly order: PlannedOrder }
  | { readonly status: 'placed'; readonly order: PlannedOrder; readonly placed: Order }
  | { readonly status: 'unknown'; readonly order: PlannedOrder; readonly error: string }
  | { readonly status: 'failed'; readonly order: PlannedOrder; readonly error: string };

const defaultClientOrderId = () => `pb-${randomUUID()}`;

/**
 * FROZEN: the legacy control for execution (USE_NEW_EXECUTION_SERVICE=false). The execution golden files in
 * packages/characterization are recorded from this class; change its behaviour only on purpose, and then
 * re-record and review every diff. New work goes to packages/orchestration/src/execution/ (ExecutionService).
 *
 * Turns a BUY/SELL/CLOSE decision into an order: size it, ask the pre-trade risk check, then either record
 * what a dry run would place ("dry_run_order") or place it through the broker with a client order id, under
 * one lock so concurrent symbols never interleave two placements (the reference's _order_lock), keeping the
 * attempted/successful/failed counters and the orders store up to date.
 */
export class OrderExecutor implements Executor {
  readonly #o: OrderExecutorOptions;
  readonly #lock = new Mutex();
  readonly #newClientOrderId: () => string;
  readonly #clock: Clock;
  readonly positions: PositionBook;
  readonly outcomes: OrderOutcomes;

  constructor(options: OrderExecutorOptions) {
    this.#o = options;
    this.#newClientOrderId = options.newClientOrderId ?? defaultClientOrderId;
    this.#clock = options.clock ?? systemClock;
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
        clock: this.#clock,
      });
  }

  /** The pre-trade check every order passes (the app's LiveRiskManager). */
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
    const verdict = o.risk.preTradeCheck({
      symbol: order.symbol,
      side: order.side,
      quantity: order.quantity,
      price: order.price,
      product: request.product,
      equity: request.equity,
      positions: request.positions,
      reduceOnly: order.reduceOnly,
      ...(request.contractSizes ? { contractSizes: request.contractSizes } : {}),
    });
    if (!verdict.allowed) {
      o.logger.warn(`Risk rejected ${order.side} ${order.quantity.toFixed()} ${order.symbol}: ${verdict.reason}`, {
        symbol: order.symbol,
        code: verdict.code,
      });
      this.#record('risk_rejected', { ...describePlannedOrder(order), code: verdict.code, reason: verdict.reason });
      return { status: 'rejected', code: verdict.code, reason: verdict.reason, order };
    }
    if (o.dryRun) {
      o.logger.info(
        `DRY RUN: Would execute ${order.side} ${order.quantity.toFixed()} ${order.symbol} MARKET ` +
          `(notional ${order.notional.toFixed()}, ${order.timeInForce}${order.reduceOnly ? ', reduce-only' : ''}): ${request.decision.reason}`,
        { symbol: order.symbol },
      );
      this.#record('dry_run_order', { ...describePlannedOrder(order), reason: request.decision.reason });
      return { status: 'dry_run', order };
    }
    return this.#lock.runExclusive(() => this.#send(order, request));
  }

  /** A reducing order is re-sized from a positions read made now; an opening one uses the cycle's. */
  async #send(planned: PlannedOrder, request: ExecutionRequest): Promise<ExecutionOutcome> {
    if (this.outcomes.isBlocked(planned.symbol)) {
      return this.#notSent(planned, `an earlier order for ${planned.symbol} has no known outcome yet`);
    }
    if (!planned.reduceOnly) return this.#place(planned, heldIn(request.positions, planned.symbol), false);
    let positions: readonly Position[];
    try {
      positions = await this.#o.broker.listPositions();
    } catch (error) {
      return this.#notSent(planned, `positions could not be read just before sending (${describeError(error)})`);
    }
    this.positions.observe(positions, (s) => this.outcomes.isBlocked(s));
    if (!this.positions.isSettled(planned.symbol)) {
      return this.#notSent(planned, `the positions answer does not show our last fill in ${planned.symbol} yet`);
    }
    const held = heldIn(positions, planned.symbol);
    const reduces = planned.side === 'SELL' ? held.greaterThan(0) : held.lessThan(0);
    if (!reduces) return this.#notSent(planned, `it would not reduce the position (${held.toFixed()} held)`);
    const close = request.decision.action === 'CLOSE';
    const quantity = close ? held.abs() : Decimal.min(planned.quantity, held.abs());
    const order: PlannedOrder = {
      ...planned,
      quantity,
      notional: planned.notional.div(planned.quantity).times(quantity),
    };
    return this.#place(order, held, close && this.#o.broker.closePosition !== undefined);
  }

  /** Nothing was sent: a known outcome, recorded as `order_not_sent`. */
  #notSent(order: PlannedOrder, reason: string): ExecutionOutcome {
    this.#o.logger.warn(`Order for ${order.symbol} not sent: ${reason}`, {
      symbol: order.symbol,
      clientId: order.clientId,
    });
    this.#record('order_not_sent', { ...describePlannedOrder(order), reason });
    return { status: 'skipped', reason };
  }

  async #place(order: PlannedOrder, before: Decimal, useClose: boolean): Promise<ExecutionOutcome> {
    const o = this.#o;
    const now = this.#clock.now();
    const intent: OrderIntent = {
      clientId: order.clientId,
      symbol: order.symbol,
      side: order.side,
      quantity: order.quantity,
      reduceOnly: order.reduceOnly,
      state: 'pending',
      orderId: null,
      lastError: null,
      attempts: 0,
      createdAt: now,
      updatedAt: now,
    };
    try {
      this.outcomes.begin(intent, before);
    } catch (error) {
      // Not sent: an order we could not have recorded must not exist.
      return this.#notSent(order, `its intent could not be recorded (${describeError(error)})`);
    }
    o.stats.attempted += 1;
    let submitted: Order;
    try {
      submitted =
        useClose && o.broker.closePosition
          ? await o.broker.closePosition({ symbol: order.symbol, quantity: order.quantity, clientId: order.clientId })
          : await o.broker.placeOrder({
              symbol: order.symbol,
              side: order.side,
              type: 'MARKET',
              quantity: order.quantity,
              tif: order.timeInForce,
              reduceOnly: order.reduceOnly,
              clientId: order.clientId,
            });
    } catch (error) {
      const message = describeError(error);
      if (outcomeUnknown(error)) {
        this.outcomes.unknown(intent, message);
        return { status: 'unknown', order, error: message };
      }
      return this.#failed(order, intent, message);
    }
    // The reference fetched the order back after submitting: the submit answer may predate the fill. The
    // order exists once the exchange accepted it, so a failed look-up must not turn it into a failed one.
    const placed = (await this.#lookUp(submitted)) ?? submitted;
    if (placed.status === 'REJECTED') return this.#failed(order, intent, `the exchange rejected order ${placed.id}`);
    if (!this.outcomes.placed(intent, placed)) {
      // On the exchange, not in our books: unknown to us until the next look-up stores it.
      const message = `order ${placed.id} could not be stored`;
      this.outcomes.unknown(intent, message);
      return { status: 'unknown', order, error: message };
    }
    o.stats.successful += 1;
    o.logger.info(
      `Placed ${order.side} ${order.quantity.toFixed()} ${order.symbol}: order ${placed.id} ${placed.status}`,
      {
        symbol: order.symbol,
        orderId: placed.id,
        clientId: order.clientId,
      },
    );
    this.#record('order_placed', {
      ...describePlannedOrder(order),
      orderId: placed.id,
      status: placed.status,
      ...(useClose ? { via: 'close_position' } : {}),
    });
    return { status: 'placed', order, placed };
  }

  #failed(order: PlannedOrder, intent: OrderIntent, message: string): ExecutionOutcome {
    const o = this.#o;
    o.stats.failed += 1;
    this.outcomes.failed(intent, message);
    o.logger.error(`Order for ${order.symbol} failed: ${message}`, { symbol: order.symbol, clientId: order.clientId });
    this.#record('order_failed', { ...describePlannedOrder(order), error: message });
    return { status: 'failed', order, error: message };
  }

  async #lookUp(submitted: Order): Promise<Order | null> {
    try {
      return await this.#o.broker.getOrder(submitted.id);
    } catch (error) {
      this.#o.logger.warn(
        `Order ${submitted.id} for ${submitted.symbol} was accepted but could not be read back: ${describeError(error)}`,
        {
          symbol: submitted.symbol,
          orderId: submitted.id,
        },
      );
      return null;
    }
  }

  /** Events are best effort here: a full disk must not turn a placed order into a "failed" one. */
  #record(type: string, payload: Record<string, unknown>): void {
    try {
      this.#o.eventStore?.appendEvent(type, this.#o.botId, payload);
    } catch (error) {
      this.#o.logger.error(`Could not record "${type}": ${describeError(error)}`);
    }
  }
}
