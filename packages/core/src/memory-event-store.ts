import { systemClock, type Clock } from './clock.js';
import { ErrorCodes, PerpsBotError } from './errors.js';
import type { EventStore, StoredEvent } from './ports.js';

/**
 * An EventStore kept in memory, in append order. For tests, the characterization recorder and benchmarks;
 * the app binds the port to a durable store. Payloads are stored as given (callers pass fresh objects).
 */
export class MemoryEventStore implements EventStore {
  readonly events: StoredEvent[] = [];
  readonly #clock: Clock;
  #closed = false;
  #lastMs = Number.NaN;
  #lastIso = '';

  constructor(options: { clock?: Clock } = {}) {
    this.#clock = options.clock ?? systemClock;
  }

  appendMetric(botId: string, payload: Record<string, unknown>): void {
    this.#append('metric', botId, payload);
  }

  appendEvent(type: string, botId: string, payload: Record<string, unknown>): void {
    this.#append(type, botId, payload);
  }

  tail(limit = 100): StoredEvent[] {
    return limit <= 0 ? [] : this.events.slice(-limit);
  }

  count(): number {
    return this.events.length;
  }

  close(): void {
    this.#closed = true;
  }

  /** The payloads of every metric, oldest first: what most assertions want. */
  metrics(): Record<string, unknown>[] {
    return this.events.filter((e) => e.type === 'metric').map((e) => e.payload);
  }

  /** Formatting a date costs more than the rest of an append; many appends share a millisecond. */
  #isoNow(): string {
    const now = this.#clock.now();
    const ms = now.getTime();
    if (ms !== this.#lastMs) {
      this.#lastMs = ms;
      this.#lastIso = now.toISOString();
    }
    return this.#lastIso;
  }

  #append(type: string, botId: string, payload: Record<string, unknown>): void {
    // A closed durable store would throw too; keep the same contract so tests see writes after close().
    if (this.#closed)
      throw new PerpsBotError(ErrorCodes.STORE, 'MemoryEventStore is closed; no further events can be appended');
    this.events.push({ seq: this.events.length + 1, type, botId, time: this.#isoNow(), payload });
  }
}
