import {
  decimalToString,
  describeError,
  ErrorCodes,
  isFinalOrderStatus,
  isPerpsBotError,
  type Brokerage,
  type Clock,
  type Decimal,
  type EventStore,
  type Logger,
  type Order,
  type OrderIntent,
  type OrdersStore,
} from '@perps-bot/core';
import type { OrderCounters } from './order-stats.js';
import type { PositionBook } from './position-book.js';

export interface OrderOutcomesOptions {
  readonly botId: string;
  readonly broker: Pick<Brokerage, 'getOrderByClientId' | 'getOrder'>;
  readonly ordersStore: OrdersStore | undefined;
  readonly eventStore: EventStore | undefined;
  readonly positions: PositionBook;
  readonly stats: OrderCounters;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Look-ups of one unknown order before the bot escalates (logs at error, keeps the symbol blocked). */
  readonly escalateAfter?: number;
}

/** An intent whose outcome is not settled yet, with what the bot knew when it sent it. */
interface Unsettled {
  intent: OrderIntent;
  /** The signed position the order was sized against (undefined for an intent left by an earlier process). */
  readonly before: Decimal | undefined;
  /** Counted in this process's `unknown` counter. */
  counted: boolean;
}

const DEFAULT_ESCALATE_AFTER = 10;

/** Whether a failed placement may have been carried out: the broker says so, or it threw something untyped. */
export function outcomeUnknown(error: unknown): boolean {
  return !isPerpsBotError(error) || error.code === ErrorCodes.ORDER_OUTCOME_UNKNOWN;
}

/**
 * Every order's outcome, known or being found out. An intent is written before its request is sent; an
 * answer that does not settle it (timeout, lost or cut-short answer, a store that failed after the send)
 * leaves it `unknown`, and each `resolve()` looks it up by client order id: found → placed (stored with the
 * exchange's status), absent → failed. Until then the symbol is blocked for new orders, and so is a symbol
 * with an order still open. The in-memory copy keeps an intent unsettled even when the store cannot be written.
 */
export class OrderOutcomes {
  readonly #o: OrderOutcomesOptions;
  readonly #unsettled = new Map<string, Unsettled>();
  /** Open orders placed by this process, by order id, with the position they were sized against. */
  readonly #open = new Map<string, { order: Order; before: Decimal | undefined }>();
  readonly #inFlight = new Set<string>();
  readonly #escalateAfter: number;
  /** The look-up in progress: the cycle and reconciliation share it rather than run two at once. */
  #resolving: Promise<void> | undefined;

  constructor(options: OrderOutcomesOptions) {
    this.#o = options;
    this.#escalateAfter = options.escalateAfter ?? DEFAULT_ESCALATE_AFTER;
  }

  /** Intents left pending or unknown by an earlier process (it died between the intent and the answer). */
  loadUnresolved(): number {
    const left = this.#o.ordersStore?.unresolvedIntents() ?? [];
    for (const intent of left) {
      if (!this.#unsettled.has(intent.clientId))
        this.#unsettled.set(intent.clientId, { intent, before: undefined, counted: false });
    }
    for (const order of this.#o.ordersStore?.openOrders() ?? [])
      if (!this.#open.has(order.id)) this.#open.set(order.id, { order, before: undefined });
    return left.length;
  }

  /** An open order found on the exchange (reconciliation): read again until final, its symbol blocked meanwhile. */
  watch(order: Order): void {
    if (!isFinalOrderStatus(order.status) && !this.#open.has(order.id))
      this.#open.set(order.id, { order, before: undefined });
  }

  /** Symbols with an order of unknown outcome or an order still open: no new order is sent for them. */
  isBlocked(symbol: string): boolean {
    for (const u of this.#unsettled.values()) if (u.intent.symbol === symbol) return true;
    for (const { order } of this.#open.values()) if (order.symbol === symbol) return true;
    return false;
  }

  get unresolvedCount(): number {
    return this.#unsettled.size;
  }

  /** Writes the intent; throws when the store cannot (then the caller sends nothing). */
  begin(intent: OrderIntent, before: Decimal): void {
    this.#o.ordersStore?.recordIntent(intent);
    this.#unsettled.set(intent.clientId, { intent, before, counted: false });
    this.#inFlight.add(intent.clientId);
  }

  /** The exchange refused it (or it was never sent): a known failure. */
  failed(intent: OrderIntent, error: string): void {
    this.#inFlight.delete(intent.clientId);
    this.#unsettled.delete(intent.clientId);
    this.#writeIntent(intent.clientId, { state: 'failed', lastError: error });
  }

  /** The answer did not tell: counted `unknown`, looked up by `resolve()`. */
  unknown(intent: OrderIntent, error: string): void {
    this.#inFlight.delete(intent.clientId);
    const entry = this.#unsettled.get(intent.clientId);
    if (entry) entry.counted = true;
    this.#o.stats.unknown += 1;
    this.#writeIntent(intent.clientId, { state: 'unknown', lastError: error });
    this.#o.logger.warn(
      `Order ${intent.clientId} for ${intent.symbol}: outcome unknown (${error}); ${intent.symbol} takes no new order until it is looked up`,
      {
        symbol: intent.symbol,
        clientId: intent.clientId,
      },
    );
    this.#record('order_unknown', { ...describeIntent(intent), error });
  }

  /**
   * The exchange has the order. Stored first: if the store fails here the order stays unsettled in memory
   * (outcome known to the exchange, not to our books) and is settled by the next `resolve()`.
   */
  placed(intent: OrderIntent, order: Order): boolean {
    this.#inFlight.delete(intent.clientId);
    const entry = this.#unsettled.get(intent.clientId);
    try {
      this.#o.ordersStore?.upsert(order);
      this.#o.ordersStore?.updateIntent(intent.clientId, {
        state: 'placed',
        orderId: order.id,
        updatedAt: this.#o.clock.now(),
      });
    } catch (error) {
      this.#o.logger.error(
        `Order ${order.id} (${intent.clientId}) for ${intent.symbol} is on the exchange but could not be stored: ${describeError(error)}`,
        {
          symbol: intent.symbol,
          orderId: order.id,
        },
      );
      return false;
    }
    this.#unsettled.delete(intent.clientId);
    this.#track(order, entry?.before);
    return true;
  }

  /**
   * Settles what can be settled: each unknown intent looked up by client order id, each open order read
   * again by id. Failures to ask leave things as they are (and blocked); after `escalateAfter` look-ups an
   * unknown order is logged at error on every further attempt.
   */
  resolve(): Promise<void> {
    this.#resolving ??= this.#resolveAll().finally(() => {
      this.#resolving = undefined;
    });
    return this.#resolving;
  }

  async #resolveAll(): Promise<void> {
    for (const entry of [...this.#unsettled.values()]) {
      if (this.#inFlight.has(entry.intent.clientId)) continue;
      await this.#resolveIntent(entry);
    }
    for (const [id, open] of [...this.#open]) {
      let order: Order | null;
      try {
        order = await this.#o.broker.getOrder(id);
      } catch (error) {
        this.#o.logger.warn(
          `Could not read open order ${id} (${open.order.symbol}): ${describeError(error)}; ${open.order.symbol} stays blocked`,
          { symbol: open.order.symbol, orderId: id },
        );
        continue;
      }
      if (!order) {
        this.#record('order_drift', { orderId: id, symbol: open.order.symbol, bot: open.order.status, exchange: null });
        order = { ...open.order, status: 'CANCELLED', updatedAt: this.#o.clock.now() };
      } else if (order.status !== open.order.status || !order.filledQuantity.equals(open.order.filledQuantity)) {
        this.#record('order_drift', {
          orderId: id,
          symbol: order.symbol,
          bot: open.order.status,
          exchange: order.status,
          filledQuantity: decimalToString(order.filledQuantity),
        });
      }
      try {
        this.#o.ordersStore?.upsert(order);
      } catch (error) {
        this.#o.logger.error(`Could not store order ${id}: ${describeError(error)}`, { orderId: id });
        continue;
      }
      this.#open.delete(id);
      this.#track(order, open.before);
    }
  }

  async #resolveIntent(entry: Unsettled): Promise<void> {
    const { intent } = entry;
    const attempts = intent.attempts + 1;
    entry.intent = { ...intent, attempts };
    let found: Order | null;
    try {
      found = await this.#o.broker.getOrderByClientId(intent.clientId, {
        symbol: intent.symbol,
        since: intent.createdAt,
      });
    } catch (error) {
      const message = `Could not look up order ${intent.clientId} for ${intent.symbol} (attempt ${attempts}): ${describeError(error)}; ${intent.symbol} stays blocked`;
      if (attempts >= this.#escalateAfter) {
        this.#o.logger.error(`${message}. Check the order on the exchange by its client order id`, {
          symbol: intent.symbol,
          clientId: intent.clientId,
        });
        if (attempts === this.#escalateAfter)
          this.#record('order_unresolved', { ...describeIntent(intent), attempts, error: describeError(error) });
      } else {
        this.#o.logger.warn(message, { symbol: intent.symbol, clientId: intent.clientId });
      }
      this.#writeIntent(intent.clientId, { attempts });
      return;
    }
    if (found) {
      if (!this.placed(entry.intent, found)) return;
      if (entry.counted) {
        this.#o.stats.unknown -= 1;
        this.#o.stats.successful += 1;
      }
      this.#o.logger.info(
        `Order ${intent.clientId} for ${intent.symbol} is on the exchange: ${found.id} ${found.status}`,
        { symbol: intent.symbol, orderId: found.id },
      );
      this.#record('order_resolved', {
        ...describeIntent(intent),
        outcome: 'placed',
        orderId: found.id,
        status: found.status,
        filledQuantity: decimalToString(found.filledQuantity),
      });
      return;
    }
    this.#unsettled.delete(intent.clientId);
    this.#writeIntent(intent.clientId, { state: 'failed', lastError: 'absent at the exchange', attempts });
    if (entry.counted) {
      this.#o.stats.unknown -= 1;
      this.#o.stats.failed += 1;
    }
    this.#o.logger.info(`Order ${intent.clientId} for ${intent.symbol} is not on the exchange: recorded failed`, {
      symbol: intent.symbol,
      clientId: intent.clientId,
    });
    this.#record('order_resolved', { ...describeIntent(intent), outcome: 'failed', reason: 'absent at the exchange' });
  }

  /** A final order's fill goes to the position book; an open one is read again until it is final. */
  #track(order: Order, before: Decimal | undefined): void {
    if (!isFinalOrderStatus(order.status)) {
      this.#open.set(order.id, { order, before });
      return;
    }
    if (before !== undefined) this.#o.positions.expectFill(order.symbol, before, order.side, order.filledQuantity);
  }

  #writeIntent(clientId: string, update: Partial<Pick<OrderIntent, 'state' | 'lastError' | 'attempts'>>): void {
    try {
      this.#o.ordersStore?.updateIntent(clientId, { ...update, updatedAt: this.#o.clock.now() });
    } catch (error) {
      this.#o.logger.error(`Could not update the order intent ${clientId}: ${describeError(error)}`, { clientId });
    }
  }

  #record(type: string, payload: Record<string, unknown>): void {
    try {
      this.#o.eventStore?.appendEvent(type, this.#o.botId, payload);
    } catch (error) {
      this.#o.logger.error(`Could not record "${type}": ${describeError(error)}`);
    }
  }
}

function describeIntent(intent: OrderIntent): Record<string, unknown> {
  return {
    clientId: intent.clientId,
    symbol: intent.symbol,
    side: intent.side,
    quantity: decimalToString(intent.quantity),
    reduceOnly: intent.reduceOnly,
  };
}
