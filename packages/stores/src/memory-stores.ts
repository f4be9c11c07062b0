import {
  ErrorCodes,
  PerpsBotError,
  type IntentUpdate,
  type Order,
  type OrderIntent,
  type OrdersStore,
} from '@perps-bot/core';
import { intentToRow, rowToIntent, UNRESOLVED_STATES, type IntentRow } from './intent-codec.js';
import { compareNewestFirst, orderToRow, rowToOrder, type OrderRow } from './order-codec.js';

const closedError = (what: string) => new PerpsBotError(ErrorCodes.STORE, `The ${what} is closed`);

/** The orders store for tests: stores rows, not objects, so decimals go through strings as in SQLite. */
export class MemoryOrdersStore implements OrdersStore {
  readonly #rows = new Map<string, OrderRow>();
  readonly #intents = new Map<string, IntentRow>();
  #closed = false;
  /** Set by a test to make every write throw, as a full disk would. */
  failWrites: Error | undefined;

  upsert(order: Order): void {
    this.#writable();
    this.#rows.set(order.id, orderToRow(order));
  }

  openOrders(): Order[] {
    return [...this.#rows.values()]
      .filter((r) => r.status === 'PENDING' || r.status === 'SUBMITTED' || r.status === 'PARTIALLY_FILLED')
      .sort((a, b) => -compareNewestFirst(a, b))
      .map(rowToOrder);
  }

  recordIntent(intent: OrderIntent): void {
    this.#writable();
    if (this.#intents.has(intent.clientId))
      throw new PerpsBotError(ErrorCodes.STORE, `The order intent ${intent.clientId} is already recorded`);
    this.#intents.set(intent.clientId, intentToRow(intent));
  }

  updateIntent(clientId: string, update: IntentUpdate): void {
    this.#writable();
    const known = this.getIntent(clientId);
    if (!known) throw new PerpsBotError(ErrorCodes.STORE, `No order intent ${clientId}`);
    this.#intents.set(clientId, intentToRow({ ...known, ...update }));
  }

  getIntent(clientId: string): OrderIntent | null {
    const row = this.#intents.get(clientId);
    return row ? rowToIntent(row) : null;
  }

  unresolvedIntents(): OrderIntent[] {
    return [...this.#intents.values()]
      .filter((r) => UNRESOLVED_STATES.includes(r.state as OrderIntent['state']))
      .sort((a, b) =>
        a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.client_id < b.client_id ? -1 : 1,
      )
      .map(rowToIntent);
  }

  #writable(): void {
    if (this.#closed) throw closedError('orders store');
    if (this.failWrites)
      throw new PerpsBotError(ErrorCodes.STORE, `Cannot write the orders store: ${this.failWrites.message}`, {
        cause: this.failWrites,
      });
  }

  get(orderId: string): Order | null {
    const row = this.#rows.get(orderId);
    return row ? rowToOrder(row) : null;
  }

  list(limit = 100): Order[] {
    return [...this.#rows.values()].sort(compareNewestFirst).slice(0, Math.max(0, limit)).map(rowToOrder);
  }

  count(): number {
    return this.#rows.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    this.#closed = true;
  }
}
