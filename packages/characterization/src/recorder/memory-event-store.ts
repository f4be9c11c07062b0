import type { EventStore, StoredEvent } from '@perps-bot/core';

/** An in-memory event store for scenarios: the recorder wraps it, so every write becomes an effect. */
export class MemoryEventStore implements EventStore {
  readonly #events: StoredEvent[] = [];
  readonly #now: () => Date;

  constructor(now: () => Date) {
    this.#now = now;
  }

  appendMetric(botId: string, payload: Record<string, unknown>): void {
    this.appendEvent('metric', botId, payload);
  }

  appendEvent(type: string, botId: string, payload: Record<string, unknown>): void {
    this.#events.push({ seq: this.#events.length + 1, type, botId, time: this.#now().toISOString(), payload });
  }

  tail(limit = 100): StoredEvent[] {
    return this.#events.slice(-limit);
  }

  count(): number {
    return this.#events.length;
  }

  close(): void {}
}
