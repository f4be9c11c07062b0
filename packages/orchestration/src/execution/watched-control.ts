import { randomUUID } from 'node:crypto';
import {
  systemClock,
  type ClosePositionRequest,
  type Order,
  type OrdersStore,
  type Position,
  type PreTradeRisk,
  type RiskDecision,
} from '@perps-bot/core';
import {
  OrderExecutor,
  type ExecutionOutcome,
  type ExecutionRequest,
  type OrderExecutorOptions,
} from '../cycle/order-executor.js';
import { OrderOutcomes } from '../cycle/order-outcomes.js';
import { PositionBook } from '../cycle/position-book.js';
import { describePlaceAnswer, type PlaceAnswer } from './execution-reproduction.js';

export type PositionsRead = { ok: true; positions: Position[] } | { ok: false; error: unknown };
export type StoreWrite = 'recordIntent' | 'upsert' | 'updateIntent';

/** What the control saw in one execution, gathered while it ran: the candidate is told exactly this. */
export interface ControlSaw {
  readonly symbol: string;
  /** The symbol's state when the execution began. */
  readonly before: { readonly blocked: boolean; readonly settled: boolean };
  /** The client order id it generated (in the synchronous start of its execute()). */
  clientId: string;
  /** Its pre-trade verdict: the candidate replays it and never asks the risk manager. */
  verdict: RiskDecision | undefined;
  /**
   * Its checks inside the executor's lock: blocked on taking it, settled after its fresh positions read.
   * Absent when it never took the lock (skipped, rejected, dry run). With two cycles overlapping at the lock,
   * these (not `before`) are what it decided on.
   */
  atLock?: { blocked: boolean; settled: boolean };
  /** Its positions read made inside the lock, or that read's failure. */
  read?: PositionsRead;
  /** The real broker's answers to its order requests. */
  readonly placeAnswers: PlaceAnswer[];
  /** Orders-store writes that threw for it. */
  readonly storeFails: Set<StoreWrite>;
}

/**
 * The frozen OrderExecutor (the control) built so that what it sees can be told to the shadow candidate:
 * its broker, orders store, risk check, client ids, OrderOutcomes and PositionBook are the real ones seen
 * through taps that change nothing. The executor's lock is first come, first served (async-mutex), and
 * execute() runs synchronously up to it, so the executions waiting there form a queue: each tap inside the lock
 * belongs to the one at its head. The cycle and OrderOutcomes hold the real objects, not the taps.
 */
export class WatchedControl {
  readonly executor: OrderExecutor;
  readonly outcomes: OrderOutcomes;
  readonly positions: PositionBook;
  readonly #dryRun: boolean;
  /** The execution in the synchronous start of execute(), up to the lock. */
  #starting: ControlSaw | undefined;
  /** Executions waiting for the lock, in the order they will take it. */
  readonly #queued: ControlSaw[] = [];
  /** The execution holding the lock. */
  #holder: ControlSaw | undefined;
  /** Inside PositionBook.observe: its in-doubt callback's isBlocked calls are not the check on taking the lock. */
  #observing = 0;

  constructor(options: OrderExecutorOptions) {
    this.#dryRun = options.dryRun;
    const fresh = options.newClientOrderId ?? (() => `pb-${randomUUID()}`);
    const broker = this.#tapBroker(options.broker);
    const ordersStore = options.ordersStore ? this.#tapStore(options.ordersStore) : undefined;
    this.positions = options.positions ?? new PositionBook();
    // As the executor would build it itself, but held here so the cycle gets the real one, not the tap.
    this.outcomes =
      options.outcomes ??
      new OrderOutcomes({
        botId: options.botId,
        broker,
        ordersStore,
        eventStore: options.eventStore,
        positions: this.positions,
        stats: options.stats,
        logger: options.logger,
        clock: options.clock ?? systemClock,
      });
    const risk: PreTradeRisk = {
      preTradeCheck: (r) => {
        const verdict = options.risk.preTradeCheck(r);
        if (this.#starting) this.#starting.verdict = verdict;
        return verdict;
      },
    };
    this.executor = new OrderExecutor({
      ...options,
      broker,
      ...(ordersStore ? { ordersStore } : {}),
      risk,
      newClientOrderId: () => {
        const id = fresh();
        if (this.#starting) this.#starting.clientId = id;
        return id;
      },
      outcomes: this.#tapOutcomes(this.outcomes),
      positions: this.#tapPositions(this.positions),
    });
  }

  /** Runs the control on one request: its outcome exactly as alone, and what it saw. */
  async run(request: ExecutionRequest): Promise<{ outcome: ExecutionOutcome; saw: ControlSaw }> {
    const symbol = request.symbol;
    const saw: ControlSaw = {
      symbol,
      before: { blocked: this.outcomes.isBlocked(symbol), settled: this.positions.isSettled(symbol) },
      clientId: '',
      verdict: undefined,
      placeAnswers: [],
      storeFails: new Set(),
    };
    this.#starting = saw;
    let running: Promise<ExecutionOutcome>;
    try {
      running = this.executor.execute(request);
    } finally {
      this.#starting = undefined;
    }
    // An allowed order outside a dry run is now waiting for the lock (its callback never runs synchronously).
    if (saw.verdict?.allowed === true && !this.#dryRun) this.#queued.push(saw);
    try {
      return { outcome: await running, saw };
    } finally {
      const waiting = this.#queued.indexOf(saw);
      if (waiting >= 0) this.#queued.splice(waiting, 1);
      if (this.#holder === saw) this.#holder = undefined;
    }
  }

  #tapOutcomes(real: OrderOutcomes): OrderOutcomes {
    return tap(real, {
      isBlocked: (symbol: string) => {
        const blocked = real.isBlocked(symbol);
        if (this.#observing === 0 && this.#queued[0]?.symbol === symbol) {
          const holder = this.#queued.shift() as ControlSaw;
          holder.atLock = { blocked, settled: this.positions.isSettled(symbol) };
          this.#holder = holder;
        }
        return blocked;
      },
    });
  }

  #tapPositions(real: PositionBook): PositionBook {
    return tap(real, {
      observe: (...args: Parameters<PositionBook['observe']>) => {
        this.#observing += 1;
        try {
          return real.observe(...args);
        } finally {
          this.#observing -= 1;
        }
      },
      isSettled: (symbol: string) => {
        const settled = real.isSettled(symbol);
        const holder = this.#holder;
        if (holder?.atLock && holder.symbol === symbol) holder.atLock.settled = settled;
        return settled;
      },
    });
  }

  #tapBroker(broker: OrderExecutorOptions['broker']): OrderExecutorOptions['broker'] {
    const answered = <T extends Order>(pending: Promise<T>): Promise<T> => {
      const holder = this.#holder;
      return pending.then(
        (order) => {
          holder?.placeAnswers.push(describePlaceAnswer({ ok: true, order }));
          return order;
        },
        (error: unknown) => {
          holder?.placeAnswers.push(describePlaceAnswer({ ok: false, error }));
          throw error;
        },
      );
    };
    const close = broker.closePosition;
    return {
      placeOrder: (r) => answered(broker.placeOrder(r)),
      getOrder: (id) => broker.getOrder(id),
      getOrderByClientId: (id, where) => broker.getOrderByClientId(id, where),
      listPositions: async () => {
        const holder = this.#holder;
        try {
          const positions = await broker.listPositions();
          if (holder) holder.read = { ok: true, positions };
          return positions;
        } catch (error) {
          if (holder) holder.read = { ok: false, error };
          throw error;
        }
      },
      ...(close ? { closePosition: (r: ClosePositionRequest) => answered(close.call(broker, r)) } : {}),
    };
  }

  /** The orders store as it is, noting which writes failed (a mismatch's reproduction replays them). */
  #tapStore(store: OrdersStore): OrdersStore {
    const noted =
      (key: StoreWrite) =>
      (...args: unknown[]): unknown => {
        try {
          return (store[key] as (...a: unknown[]) => unknown).apply(store, args);
        } catch (error) {
          this.#holder?.storeFails.add(key);
          throw error;
        }
      };
    return tap(store, {
      recordIntent: noted('recordIntent'),
      upsert: noted('upsert'),
      updateIntent: noted('updateIntent'),
    });
  }
}

/** `real` with some methods replaced; every other method runs on `real` itself (its private fields intact). */
function tap<T extends object>(real: T, replaced: Partial<Record<keyof T, unknown>>): T {
  return new Proxy(real, {
    get(target, key) {
      if (Object.prototype.hasOwnProperty.call(replaced, key)) return replaced[key as keyof T];
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
