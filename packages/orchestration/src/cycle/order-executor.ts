import { randomUUID } from 'node:crypto';
import {
  describeError,
  type Brokerage,
  type Decimal,
  type EventStore,
  type Logger,
  type Order,
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

export interface OrderExecutorOptions {
  readonly botId: string;
  readonly broker: Pick<Brokerage, 'placeOrder' | 'getOrder'>;
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
  | { readonly status: 'rejected'; readonly code: RiskRejectCode; readonly reason: string; readonly order: PlannedOrder }
  | { readonly status: 'dry_run'; readonly order: PlannedOrder }
  | { readonly status: 'placed'; readonly order: PlannedOrder; readonly placed: Order }
  | { readonly status: 'failed'; readonly order: PlannedOrder; readonly error: string };

const defaultClientOrderId = () => `pb-${randomUUID()}`;

/**
 * Turns a BUY/SELL/CLOSE decision into an order: size it, ask the pre-trade risk check, then either record
 * what a dry run would place ("dry_run_order") or place it through the broker with a client order id, under
 * one lock so concurrent symbols never interleave two placements (the reference's _order_lock), keeping the
 * attempted/successful/failed counters and the orders store up to date.
 */
export class OrderExecutor {
  readonly #o: OrderExecutorOptions;
  readonly #lock = new Mutex();
  readonly #newClientOrderId: () => string;

  constructor(options: OrderExecutorOptions) {
    this.#o = options;
    this.#newClientOrderId = options.newClientOrderId ?? defaultClientOrderId;
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
      reduceOnlyMode: o.reduceOnlyMode,
      defaultTimeInForce: o.timeInForce,
      clientId: this.#newClientOrderId(),
    });
    if (!plan.ok) {
      o.logger.warn(`No order for ${request.symbol} (${request.decision.action}): ${plan.reason}`, { symbol: request.symbol });
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
    return this.#lock.runExclusive(() => this.#place(order));
  }

  async #place(order: PlannedOrder): Promise<ExecutionOutcome> {
    const o = this.#o;
    o.stats.attempted += 1;
    try {
      const submitted = await o.broker.placeOrder({
        symbol: order.symbol,
        side: order.side,
        type: 'MARKET',
        quantity: order.quantity,
        tif: order.timeInForce,
        reduceOnly: order.reduceOnly,
        clientId: order.clientId,
      });
      // The reference fetched the order back after submitting: the submit answer may predate the fill. The
      // order exists once the exchange accepted it, so a failed look-up must not turn it into a failed one.
      const placed = (await this.#lookUp(submitted)) ?? submitted;
      if (placed.status === 'REJECTED') throw new Error(`the exchange rejected order ${placed.id}`);
      o.ordersStore?.upsert(placed);
      o.stats.successful += 1;
      o.logger.info(`Placed ${order.side} ${order.quantity.toFixed()} ${order.symbol}: order ${placed.id} ${placed.status}`, {
        symbol: order.symbol,
        orderId: placed.id,
        clientId: order.clientId,
      });
      this.#record('order_placed', { ...describePlannedOrder(order), orderId: placed.id, status: placed.status });
      return { status: 'placed', order, placed };
    } catch (error) {
      o.stats.failed += 1;
      const message = describeError(error);
      o.logger.error(`Order for ${order.symbol} failed: ${message}`, { symbol: order.symbol, clientId: order.clientId });
      this.#record('order_failed', { ...describePlannedOrder(order), error: message });
      return { status: 'failed', order, error: message };
    }
  }

  async #lookUp(submitted: Order): Promise<Order | null> {
    try {
      return await this.#o.broker.getOrder(submitted.id);
    } catch (error) {
      this.#o.logger.warn(`Order ${submitted.id} for ${submitted.symbol} was accepted but could not be read back: ${describeError(error)}`, {
        symbol: submitted.symbol,
        orderId: submitted.id,
      });
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
