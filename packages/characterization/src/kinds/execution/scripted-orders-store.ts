import type { IntentUpdate, Order, OrderIntent, OrdersStore } from '@perps-bot/core';
import { storeFailure } from './scripted-execution-risk.js';

const FINAL = new Set(['FILLED', 'CANCELLED', 'REJECTED']);

/** An in-memory orders store whose listed methods throw (STORE), for scenarios; its contents are the final state. */
export class ScriptedOrdersStore implements OrdersStore {
  readonly orders = new Map<string, Order>();
  readonly intents = new Map<string, OrderIntent>();
  readonly #fails: ReadonlySet<string>;

  constructor(fails: readonly string[]) {
    this.#fails = new Set(fails);
  }

  #check(method: string): void {
    if (this.#fails.has(method)) throw storeFailure(method);
  }

  upsert(order: Order): void {
    this.#check('upsert');
    this.orders.set(order.id, order);
  }
  get(orderId: string): Order | null {
    return this.orders.get(orderId) ?? null;
  }
  list(): Order[] {
    return [...this.orders.values()];
  }
  openOrders(): Order[] {
    return [...this.orders.values()].filter((o) => !FINAL.has(o.status));
  }
  recordIntent(intent: OrderIntent): void {
    this.#check('recordIntent');
    this.intents.set(intent.clientId, intent);
  }
  updateIntent(clientId: string, update: IntentUpdate): void {
    this.#check('updateIntent');
    const known = this.intents.get(clientId);
    if (known) this.intents.set(clientId, { ...known, ...update });
  }
  getIntent(clientId: string): OrderIntent | null {
    return this.intents.get(clientId) ?? null;
  }
  unresolvedIntents(): OrderIntent[] {
    return [...this.intents.values()].filter((i) => i.state === 'pending' || i.state === 'unknown');
  }
  count(): number {
    return this.orders.size;
  }
  close(): void {}
}
