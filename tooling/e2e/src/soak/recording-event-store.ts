import type { EventStore, StoredEvent } from '@perps-bot/core';

/** One append the bot made that returned: the store said it was recorded. */
interface ReturnedAppend {
  readonly type: string;
  readonly botId: string;
  /** The payload as JSON would carry it (what the store can be expected to give back). */
  readonly payload: unknown;
}

/**
 * Forwards to a real store and keeps every append that returned, so a test can check afterwards that each one
 * is in the store, in order (an append that threw is the caller's to handle and is not kept).
 */
export class RecordingEventStore implements EventStore {
  readonly returned: ReturnedAppend[] = [];
  readonly #store: EventStore;

  constructor(store: EventStore) {
    this.#store = store;
  }

  appendMetric(botId: string, payload: Record<string, unknown>): void {
    this.#store.appendMetric(botId, payload);
    this.returned.push({ type: 'metric', botId, payload: JSON.parse(JSON.stringify(payload)) as unknown });
  }

  appendEvent(type: string, botId: string, payload: Record<string, unknown>): void {
    this.#store.appendEvent(type, botId, payload);
    this.returned.push({ type, botId, payload: JSON.parse(JSON.stringify(payload)) as unknown });
  }

  tail(limit?: number): StoredEvent[] {
    return this.#store.tail(limit);
  }

  count(): number {
    return this.#store.count();
  }

  close(): void {
    this.#store.close();
  }
}
