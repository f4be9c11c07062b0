import type { IntentUpdate, Order, OrderIntent } from './broker-types.js';

/** Where the risk manager learns that a fresh mark arrived for a symbol. */
export interface MarkUpdateSink {
  recordMarkUpdate(symbol: string, at: Date): void;
}

/** A metric or event appended to the event store. Values are JSON-safe (decimals as strings). */
export interface StoredEvent {
  readonly seq?: number;
  readonly type: string;
  readonly botId: string;
  readonly time: string;
  readonly payload: Record<string, unknown>;
}

/** Append-only record of what the bot saw and did. An append that returned has been made durable. */
export interface EventStore {
  appendMetric(botId: string, payload: Record<string, unknown>): void;
  appendEvent(type: string, botId: string, payload: Record<string, unknown>): void;
  tail(limit?: number): StoredEvent[];
  count(): number;
  close(): void;
}

export interface OrdersStore {
  upsert(order: Order): void;
  get(orderId: string): Order | null;
  list(limit?: number): Order[];
  /** Orders not yet in a final state (PENDING, SUBMITTED, PARTIALLY_FILLED), oldest first. */
  openOrders(): Order[];
  /** Writes the intent before its request is sent; throws (STORE) when it cannot, and then nothing is sent. */
  recordIntent(intent: OrderIntent): void;
  updateIntent(clientId: string, update: IntentUpdate): void;
  getIntent(clientId: string): OrderIntent | null;
  /** Intents still `pending` or `unknown`, oldest first: each needs a look-up at the exchange. */
  unresolvedIntents(): OrderIntent[];
  count(): number;
  close(): void;
}
