import {
  StorageUnavailableError,
  systemClock,
  type Brokerage,
  type Clock,
  type EventStore,
  type OrdersStore,
} from '@perps-bot/core';
import { storageFailure, storageFailureCode } from './sqlite-database.js';

export interface StorageHealthOptions {
  readonly clock?: Clock;
  /** Cycles in a row the condition may last before the bot gives up (exit code 4). */
  readonly exitAfterCycles?: number;
  /** Or this long since the first failure, whichever comes first. */
  readonly exitAfterMs?: number;
}

/** A store the monitor can ask "can you write now?" without leaving anything behind. */
export interface ProbedStore {
  readonly file: string;
  probeWrite(): void;
}

export interface StorageFailure {
  readonly error: StorageUnavailableError;
  readonly since: Date;
  /** Cycles seen while the failure lasted. */
  readonly cycles: number;
}

export type StorageVerdict = 'available' | 'unavailable' | 'exit';

const DEFAULT_STORAGE_EXIT_AFTER_CYCLES = 3;
const DEFAULT_STORAGE_EXIT_AFTER_MS = 30_000;

/**
 * Whether the bot's books can be written. Persistence is a precondition for trading: once a write to the
 * event store or the orders store fails for a storage reason, `available` is false and the bot must open no
 * order (the guarded broker refuses them) until a probe write to the failing store succeeds again. The cycle
 * asks `beforeCycle()`: while unavailable it probes, and once the failure has lasted `exitAfterCycles`
 * cycles or `exitAfterMs`, the verdict is "exit".
 */
export class StorageHealthMonitor {
  readonly #clock: Clock;
  readonly #exitAfterCycles: number;
  readonly #exitAfterMs: number;
  readonly #stores = new Map<string, ProbedStore>();
  readonly #listeners: Array<(failure: StorageFailure) => void> = [];
  #failure: { error: StorageUnavailableError; since: Date; cycles: number } | undefined;

  constructor(options: StorageHealthOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#exitAfterCycles = options.exitAfterCycles ?? DEFAULT_STORAGE_EXIT_AFTER_CYCLES;
    this.#exitAfterMs = options.exitAfterMs ?? DEFAULT_STORAGE_EXIT_AFTER_MS;
  }

  /** Stores that can be probed for recovery. */
  watch(store: ProbedStore): void {
    this.#stores.set(store.file, store);
  }

  /** Called once when storage becomes unavailable (not again while it stays so). */
  onUnavailable(listener: (failure: StorageFailure) => void): void {
    this.#listeners.push(listener);
  }

  /** How long a failure may last before the verdict is "exit", in words for the operator. */
  get exitBound(): string {
    return `${this.#exitAfterCycles} cycles or ${this.#exitAfterMs / 1000} s`;
  }

  get available(): boolean {
    return this.#failure === undefined;
  }

  get failure(): StorageFailure | undefined {
    return this.#failure && { ...this.#failure };
  }

  /** Records a failed write. Returns the typed error to throw in place of the store's own. */
  recordFailure(error: StorageUnavailableError): StorageUnavailableError {
    if (this.#failure) return error;
    this.#failure = { error, since: this.#clock.now(), cycles: 0 };
    const failure = { ...this.#failure };
    for (const listener of this.#listeners) listener(failure);
    return error;
  }

  /** Throws the failure when storage is unavailable: callers about to open risk ask this first. */
  assertWritable(): void {
    if (this.#failure) throw this.#failure.error;
  }

  /** The cycle's question. Probes the failing store first, so a disk that got space back resumes trading. */
  beforeCycle(): StorageVerdict {
    const failure = this.#failure;
    if (!failure) return 'available';
    const store = this.#stores.get(failure.error.file);
    if (store) {
      try {
        store.probeWrite();
        this.#failure = undefined;
        return 'available';
      } catch {
        // still failing
      }
    }
    failure.cycles += 1;
    const lasted = this.#clock.now().getTime() - failure.since.getTime();
    return failure.cycles >= this.#exitAfterCycles || lasted >= this.#exitAfterMs ? 'exit' : 'unavailable';
  }
}

/** The storage failure carried by `error` or one of its causes (the stores wrap SQLite's error once). */
export function findStorageFailure(file: string, error: unknown): StorageUnavailableError | undefined {
  for (
    let e: unknown = error, depth = 0;
    e !== undefined && e !== null && depth < 5;
    e = (e as { cause?: unknown }).cause, depth++
  ) {
    if (e instanceof StorageUnavailableError) return e;
    if (storageFailureCode(e) !== undefined) return storageFailure(file, e);
  }
  return undefined;
}

/** Runs one write to `file`, reporting a storage failure to the monitor (thrown as StorageUnavailableError). */
export function guardWrite<T>(monitor: StorageHealthMonitor, file: string, write: () => T): T {
  let result: T;
  try {
    result = write();
  } catch (error) {
    const failure = findStorageFailure(file, error);
    throw failure ? monitor.recordFailure(failure) : error;
  }
  // A write that returns is not proof of recovery: a tick append may only have been buffered, and a small write
  // can fit a disk a larger one cannot. Only the cycle's probe of the failing store (beforeCycle) lifts a failure.
  return result;
}

/** The event store with its write failures reported to the monitor (and thrown as StorageUnavailableError). */
export function guardEventStore(
  store: EventStore & { readonly file: string },
  monitor: StorageHealthMonitor,
): EventStore {
  return {
    appendMetric: (botId, payload) => guardWrite(monitor, store.file, () => store.appendMetric(botId, payload)),
    appendEvent: (type, botId, payload) =>
      guardWrite(monitor, store.file, () => store.appendEvent(type, botId, payload)),
    tail: (limit) => store.tail(limit),
    count: () => store.count(),
    close: () => store.close(),
  };
}

/** The orders store, guarded the same way: its writes (orders and order intents) report to the monitor. */
export function guardOrdersStore(
  store: OrdersStore & { readonly file: string },
  monitor: StorageHealthMonitor,
): OrdersStore {
  return {
    upsert: (order) => guardWrite(monitor, store.file, () => store.upsert(order)),
    recordIntent: (intent) => guardWrite(monitor, store.file, () => store.recordIntent(intent)),
    updateIntent: (clientId, update) => guardWrite(monitor, store.file, () => store.updateIntent(clientId, update)),
    get: (id) => store.get(id),
    list: (limit) => store.list(limit),
    openOrders: () => store.openOrders(),
    getIntent: (clientId) => store.getIntent(clientId),
    unresolvedIntents: () => store.unresolvedIntents(),
    count: () => store.count(),
    close: () => store.close(),
  };
}

/**
 * The broker with one more precondition on placeOrder: storage must be writable, or the order is refused
 * before anything is sent (a StorageUnavailableError, so the order was certainly not placed). Every other
 * call — quotes, positions, cancels, order lookups — goes through untouched.
 */
export function guardBroker<B extends Brokerage>(broker: B, monitor: StorageHealthMonitor): B {
  return new Proxy(broker, {
    get(target, property, receiver) {
      if (property === 'placeOrder') {
        return (...args: Parameters<Brokerage['placeOrder']>) => {
          monitor.assertWritable();
          return target.placeOrder(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
