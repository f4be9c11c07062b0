import { systemClock, type Clock } from './clock.js';
import { ErrorCodes, PerpsBotError } from './errors.js';
import type { EventStore, StoredEvent } from './ports.js';

export interface MemoryEventStoreOptions {
  clock?: Clock;
  /**
   * Store each payload as `JSON.parse(JSON.stringify(payload))`, so a test sees exactly what the SQLite store
   * would give back (dates as strings, decimals as their JSON, undefined fields gone). Off by default: the
   * recorder and the benches want payloads as given, without the copy's cost.
   */
  jsonRoundTrip?: boolean;
}

/**
 * The one in-memory EventStore, in append order, with the durable store's contract (seq from 1, no writes after
 * close). For tests, the characterization recorder and benchmarks; the app binds the port to a durable store.
 */
export class MemoryEventStore implements EventStore {
  readonly events: StoredEvent[] = [];
  readonly #clock: Clock;
  readonly #jsonRoundTrip: boolean;
  #closed = false;
  #lastMs = Number.NaN;
  #lastIso = '';

  constructor(options: MemoryEventStoreOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#jsonRoundTrip = options.jsonRoundTrip ?? false;
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

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    this.#closed = true;
  }

  /** Events of one type, oldest first (a test convenience; not on the port). */
  ofType(type: string): StoredEvent[] {
    return this.events.filter((e) => e.type === type);
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
    const stored = this.#jsonRoundTrip ? (JSON.parse(JSON.stringify(payload)) as Record<string, unknown>) : payload;
    this.events.push({ seq: this.events.length + 1, type, botId, time: this.#isoNow(), payload: stored });
  }
}
