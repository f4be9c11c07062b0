import {
  describeError,
  type Brokerage,
  type EventStore,
  type Logger,
  type Order,
  type OrdersStore,
} from '@perps-bot/core';
import type { LiveRiskManager } from '@perps-bot/risk';
import type { OrderOutcomes } from '../cycle/order-outcomes.js';
import type { PositionBook } from '../cycle/position-book.js';

/** The reduce-only reason set when the startup reconciliation fails (as the reference did). */
export const RECONCILIATION_FAILED_REASON = 'startup_reconciliation_failed';

export interface ReconcilerOptions {
  readonly botId: string;
  readonly broker: Pick<Brokerage, 'listPositions' | 'listOrders'>;
  readonly outcomes: OrderOutcomes;
  readonly positions: PositionBook;
  readonly ordersStore: OrdersStore | undefined;
  readonly eventStore: EventStore | undefined;
  readonly risk: Pick<LiveRiskManager, 'reduceOnlyMode' | 'reduceOnlyReason' | 'setReduceOnlyMode'>;
  readonly logger: Logger;
  /** The reference's 45 s and 90 s. */
  readonly ordersIntervalMs: number;
  readonly positionsIntervalMs: number;
}

/**
 * The reference's reconciliation (original-system.md §7): before the first cycle, open and unknown orders
 * and positions are checked against the exchange (a failure switches reduce-only, reason
 * startup_reconciliation_failed, lifted by the first periodic pass that succeeds); then orders every
 * `ordersIntervalMs` and positions every `positionsIntervalMs`. Drift is an event with both sides:
 * `order_drift` (an exchange order our books lack, or whose status changed) and `position_drift` (through the
 * shared PositionBook). Passes never overlap themselves; unknown-order look-ups are shared with the cycle.
 */
export class Reconciler {
  readonly #o: ReconcilerOptions;
  readonly #timers: NodeJS.Timeout[] = [];
  #ordersRunning = false;
  #positionsRunning = false;

  constructor(options: ReconcilerOptions) {
    this.#o = options;
  }

  /** Returns whether both passes succeeded; on a failure the bot is switched reduce-only. */
  async atStartup(): Promise<boolean> {
    const loaded = this.#o.outcomes.loadUnresolved();
    if (loaded > 0)
      this.#o.logger.warn(
        `${loaded} order(s) from an earlier run have no known outcome; looking them up before the first cycle`,
      );
    const ok = (await this.reconcileOrders()) && (await this.reconcilePositions());
    this.#record('reconciliation', { phase: 'startup', ok, unresolved: this.#o.outcomes.unresolvedCount });
    if (!ok && !this.#o.risk.reduceOnlyMode) {
      this.#o.logger.error(
        'Startup reconciliation with the exchange failed: reduce-only until a reconciliation succeeds',
      );
      this.#o.risk.setReduceOnlyMode(true, RECONCILIATION_FAILED_REASON);
    }
    return ok;
  }

  /** Unknown intents and open orders looked up; exchange open orders missing from our books stored as drift. */
  async reconcileOrders(): Promise<boolean> {
    try {
      await this.#o.outcomes.resolve();
      const open = await this.#o.broker.listOrders({ status: 'SUBMITTED' });
      const pending = await this.#o.broker.listOrders({ status: 'PENDING' });
      for (const order of [...open, ...pending]) this.#adopt(order);
      return true;
    } catch (error) {
      this.#o.logger.warn(`Order reconciliation failed: ${describeError(error)}; retried at the next pass`);
      return false;
    }
  }

  async reconcilePositions(): Promise<boolean> {
    try {
      const positions = await this.#o.broker.listPositions();
      this.#o.positions.observe(positions, (symbol) => this.#o.outcomes.isBlocked(symbol));
      return true;
    } catch (error) {
      this.#o.logger.warn(`Position reconciliation failed: ${describeError(error)}; retried at the next pass`);
      return false;
    }
  }

  /** Both passes now, as the timers run them; a success lifts a failed startup's reduce-only. */
  async runOnce(): Promise<boolean> {
    const ok = (await this.reconcileOrders()) && (await this.reconcilePositions());
    this.#liftIfRecovered(ok);
    return ok;
  }

  /** Starts the periodic passes (timers unref'd: they never keep the process alive). */
  start(): void {
    const every = (ms: number, pass: () => Promise<boolean>, busy: () => boolean, setBusy: (b: boolean) => void) => {
      const timer = setInterval(() => {
        if (busy()) return;
        setBusy(true);
        void pass()
          .then((ok) => this.#liftIfRecovered(ok))
          .finally(() => setBusy(false));
      }, ms);
      timer.unref();
      this.#timers.push(timer);
    };
    every(
      this.#o.ordersIntervalMs,
      () => this.reconcileOrders(),
      () => this.#ordersRunning,
      (b) => (this.#ordersRunning = b),
    );
    every(
      this.#o.positionsIntervalMs,
      () => this.reconcilePositions(),
      () => this.#positionsRunning,
      (b) => (this.#positionsRunning = b),
    );
  }

  stop(): void {
    for (const timer of this.#timers.splice(0)) clearInterval(timer);
  }

  #liftIfRecovered(ok: boolean): void {
    const { risk } = this.#o;
    if (ok && risk.reduceOnlyMode && risk.reduceOnlyReason === RECONCILIATION_FAILED_REASON)
      risk.setReduceOnlyMode(false, 'reconciliation succeeded');
  }

  #adopt(order: Order): void {
    const store = this.#o.ordersStore;
    this.#o.outcomes.watch(order);
    if (!store) return;
    const known = store.get(order.id);
    if (known && known.status === order.status && known.filledQuantity.equals(order.filledQuantity)) return;
    this.#record('order_drift', {
      orderId: order.id,
      symbol: order.symbol,
      clientId: order.clientId,
      bot: known?.status ?? null,
      exchange: order.status,
    });
    this.#o.logger.warn(
      `Order drift: ${order.id} (${order.symbol}) is ${order.status} on the exchange, ${known?.status ?? 'absent'} in our books; stored`,
      { orderId: order.id, symbol: order.symbol },
    );
    store.upsert(order);
  }

  #record(type: string, payload: Record<string, unknown>): void {
    try {
      this.#o.eventStore?.appendEvent(type, this.#o.botId, payload);
    } catch (error) {
      this.#o.logger.error(`Could not record "${type}": ${describeError(error)}`);
    }
  }
}
