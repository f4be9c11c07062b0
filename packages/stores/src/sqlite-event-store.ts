import { type Clock, ConfigError, type EventStore, type StoredEvent, systemClock } from '@perps-bot/core';
import type Database from 'better-sqlite3';
import { closeDatabase, openDatabase, probeWrite, storeError } from './sqlite-database.js';
import { WalCheckpointer } from './wal-checkpointer.js';

/** Metric event types that are market ticks: group-committed and subject to `tickRetention`. */
const TICK_EVENT_TYPES: ReadonlySet<string> = new Set(['ws_mark_update']);

/** Defaults of the tick group commit: at most this many ticks, or this many ms, wait for one transaction. */
const DEFAULT_TICK_BATCH = { maxRows: 256, flushMs: 10 } as const;

export interface TickBatchOptions {
  /** A batch of this many pending ticks is committed at once, inside the append that fills it (≥ 1). */
  readonly maxRows?: number;
  /** A pending tick waits at most this long (a timer) before its batch is committed (> 0, ≤ 10 by default). */
  readonly flushMs?: number;
}

export interface TickRetentionOptions {
  /** Keep at most this many tick rows (the newest); older ones are deleted. */
  readonly maxRows?: number;
  /** Delete tick rows older than this many seconds (by their `time`). */
  readonly maxAgeSeconds?: number;
}

export interface SqliteEventStoreOptions {
  readonly file: string;
  readonly clock?: Clock;
  /** Read an existing store without writing to it (tests, monitors). Appends then throw. */
  readonly readonly?: boolean;
  /** A ceiling on the file's size in SQLite pages; tests use it to fill the disk for real. */
  readonly maxPageCount?: number;
  /** Group commit of tick events (TICK_EVENT_TYPES); `false` commits every tick on its own, as other events. */
  readonly tickBatch?: TickBatchOptions | false;
  /** Bounds the tick rows kept; applied after a flush, at most once a second. Default: keep all. */
  readonly tickRetention?: TickRetentionOptions;
  /**
   * Checkpoint the WAL from a worker thread instead of inside whichever commit crosses 1,000 pages (a stall of
   * tens of ms on the event loop). Default true; `false` keeps SQLite's automatic checkpoint.
   */
  readonly backgroundCheckpoint?: boolean | { readonly everyMs: number };
  /**
   * Told when a group flush fails (the timer's flush has no caller to throw to). The same error is also thrown
   * by the next append (or tail/count/close), once, so a write failure is never silently dropped.
   */
  readonly onWriteError?: (error: Error) => void;
}

interface EventRow {
  seq: number;
  type: string;
  bot_id: string;
  time: string;
  payload: string;
}

type Row = [type: string, botId: string, time: string, payload: string, tick: 0 | 1];

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  bot_id TEXT NOT NULL,
  time TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_type ON events(type);
`;
// Stores written before tick retention get the column on open; old rows count as non-ticks (kept).
const TICK_COLUMN = `ALTER TABLE events ADD COLUMN tick INTEGER NOT NULL DEFAULT 0`;
const TICK_INDEX = `CREATE INDEX IF NOT EXISTS events_tick_seq ON events(seq) WHERE tick = 1`;
const RETENTION_EVERY_MS = 1_000;
const MULTI_ROW = 32;

/**
 * The event store on SQLite, in WAL mode with synchronous=FULL (a commit is fsynced: it survives kill -9 and
 * power loss).
 *
 * Durability per kind:
 * - Every event except ticks (orders, decisions, risk, cycle metrics…) is its own committed transaction: when
 *   the append returns it is durable, so the bot never acts on something the store could lose. Before it is
 *   written, pending ticks are committed first, so the sequence keeps append order.
 * - Ticks (TICK_EVENT_TYPES, e.g. `ws_mark_update`, hundreds per second from the stream) are group-committed:
 *   one transaction per `maxRows` ticks (committed inside the append that fills the batch) or per `flushMs`
 *   timer, whichever comes first. A kill -9 loses at most the ticks not yet committed: fewer than `maxRows`
 *   (255 by default), appended within the last `flushMs` (10 ms) as long as the event loop is not blocked for
 *   longer. Order is kept: seq follows append order across ticks and other events. A tick batch commits with
 *   synchronous=NORMAL (no fsync of its own; WAL makes it safe from a process crash): after a power loss the
 *   ticks since the last FULL commit (any other event) or checkpoint may be lost as well.
 * - A failed group flush is reported to `onWriteError` and thrown by the next call; its ticks are not retried.
 */
export class SqliteEventStore implements EventStore {
  readonly file: string;
  readonly #db: Database.Database;
  readonly #clock: Clock;
  readonly #insert: Database.Statement<Row> | undefined;
  readonly #insertMany: ((rows: readonly Row[]) => void) | undefined;
  readonly #batch: Required<TickBatchOptions> | undefined;
  readonly #retention: TickRetentionOptions | undefined;
  readonly #onWriteError: ((error: Error) => void) | undefined;
  #pending: Row[] = [];
  #checkpointer: WalCheckpointer | undefined;
  #timer: NodeJS.Timeout | undefined;
  #writeError: Error | undefined;
  #lastPruneMs = 0;
  #isoMs = Number.NaN;
  #iso = '';

  constructor(options: SqliteEventStoreOptions) {
    this.file = options.file;
    this.#clock = options.clock ?? systemClock;
    this.#onWriteError = options.onWriteError;
    this.#retention = options.tickRetention;
    this.#batch = options.tickBatch === false ? undefined : resolveBatch(options.tickBatch);
    this.#db = openDatabase({
      file: options.file,
      synchronous: 'FULL',
      readonly: options.readonly ?? false,
      maxPageCount: options.maxPageCount,
    });
    if (!options.readonly) {
      this.#db.exec(SCHEMA);
      const columns = this.#db.prepare('PRAGMA table_info(events)').all() as { name: string }[];
      if (!columns.some((c) => c.name === 'tick')) this.#db.exec(TICK_COLUMN);
      this.#db.exec(TICK_INDEX);
      if (options.backgroundCheckpoint !== false) {
        // The WAL is checkpointed off the main thread (see WalCheckpointer), not inside a tick commit.
        this.#db.pragma('wal_autocheckpoint = 0');
        this.#checkpointer = new WalCheckpointer({
          file: options.file,
          ...(typeof options.backgroundCheckpoint === 'object'
            ? { everyMs: options.backgroundCheckpoint.everyMs }
            : {}),
          onError: (message) =>
            this.#onWriteError?.(
              storeError(
                `Cannot checkpoint the event store ${this.file} (its WAL grows until one succeeds)`,
                new Error(message),
              ),
            ),
        });
      }
      const insert = this.#db.prepare<Row>(
        'INSERT INTO events (type, bot_id, time, payload, tick) VALUES (?, ?, ?, ?, ?)',
      );
      this.#insert = insert;
      // Ticks go in as multi-row INSERTs of MULTI_ROW rows: one statement step per 32 rows instead of per row.
      const multi = this.#db.prepare<unknown[]>(
        `INSERT INTO events (type, bot_id, time, payload, tick) VALUES ${Array.from({ length: MULTI_ROW }, () => '(?, ?, ?, ?, ?)').join(', ')}`,
      );
      const params = new Array<unknown>(MULTI_ROW * 5);
      this.#insertMany = this.#db.transaction((rows: readonly Row[]) => {
        let i = 0;
        for (; i + MULTI_ROW <= rows.length; i += MULTI_ROW) {
          for (let k = 0; k < MULTI_ROW; k++) {
            const row = rows[i + k] as Row;
            const at = k * 5;
            params[at] = row[0];
            params[at + 1] = row[1];
            params[at + 2] = row[2];
            params[at + 3] = row[3];
            params[at + 4] = row[4];
          }
          multi.run(params);
        }
        for (; i < rows.length; i++) insert.run(...(rows[i] as Row));
      });
    }
  }

  appendMetric(botId: string, payload: Record<string, unknown>): void {
    this.appendEvent('metric', botId, payload);
  }

  appendEvent(type: string, botId: string, payload: Record<string, unknown>): void {
    if (!this.#insert)
      throw storeError(`Cannot append "${type}"`, new Error(`the event store ${this.file} is read-only`));
    this.#throwWriteError();
    const tick = type === 'metric' && TICK_EVENT_TYPES.has(payload.event_type as string);
    const row: Row = [type, botId, this.#isoNow(), JSON.stringify(payload), tick ? 1 : 0];
    if (tick && this.#batch) {
      this.#pending.push(row);
      if (this.#pending.length >= this.#batch.maxRows) this.#flushOrThrow();
      else this.#timer ??= setTimeout(() => this.#flushFromTimer(), this.#batch.flushMs).unref();
      return;
    }
    this.#flushOrThrow();
    try {
      this.#insert.run(...row);
    } catch (error) {
      throw storeError(`Cannot append "${type}" to the event store ${this.file}`, error);
    }
  }

  /** Commits pending ticks now; throws the store error if that fails (or a timer flush failed before). */
  flush(): void {
    this.#flushOrThrow();
    this.#throwWriteError();
  }

  /** Ticks appended but not yet committed (what a kill -9 right now would lose). */
  get pendingTicks(): number {
    return this.#pending.length;
  }

  /** The newest `limit` events, oldest first (pending ticks are committed first, so they are included). */
  tail(limit = 100): StoredEvent[] {
    this.#flushIfWritable();
    const rows = this.#db
      .prepare('SELECT seq, type, bot_id, time, payload FROM events ORDER BY seq DESC LIMIT ?')
      .all(limit) as EventRow[];
    return rows.reverse().map(toEvent);
  }

  count(): number {
    this.#flushIfWritable();
    const row = this.#db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number };
    return row.n;
  }

  /** Can this store write now? Throws as a write would; writes nothing (StorageHealthMonitor's probe). */
  probeWrite(): void {
    probeWrite(this.#db);
  }

  get closed(): boolean {
    return !this.#db.open;
  }

  /** Commits pending ticks, then checkpoints and closes; a failed last flush is thrown after the file is closed. */
  close(): void {
    if (!this.#db.open) return;
    let failure: Error | undefined;
    try {
      if (this.#insert) this.flush();
    } catch (error) {
      failure = error as Error;
    }
    this.#checkpointer?.stop();
    closeDatabase(this.#db);
    if (failure) throw failure;
  }

  #flushIfWritable(): void {
    if (this.#insert) this.flush();
  }

  /** The clock's now as ISO text; ticks arrive many per millisecond, so the text is reused within one. */
  #isoNow(): string {
    const ms = this.#clock.now().getTime();
    if (ms !== this.#isoMs) {
      this.#isoMs = ms;
      this.#iso = new Date(ms).toISOString();
    }
    return this.#iso;
  }

  #flushFromTimer(): void {
    this.#timer = undefined;
    // The error is kept for the next caller and told to the listener; a timer has nobody to throw to.
    this.#flush();
  }

  #flushOrThrow(): void {
    const error = this.#flush();
    if (error) this.#throwWriteError();
  }

  /** Commits the pending ticks in one transaction; on failure records (and reports) the error and returns it. */
  #flush(): Error | undefined {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const rows = this.#pending;
    if (rows.length === 0 || !this.#insertMany) return undefined;
    this.#pending = [];
    try {
      // A tick batch commits with synchronous=NORMAL: in WAL mode that is durable against a process crash
      // (kill -9) — the bound this store promises for ticks — without an fsync per batch; the next FULL commit
      // (any other event) or checkpoint makes it durable against power loss too.
      this.#db.pragma('synchronous = NORMAL');
      try {
        this.#insertMany(rows);
      } finally {
        this.#db.pragma('synchronous = FULL');
      }
    } catch (error) {
      const failure = storeError(
        `Cannot commit ${rows.length} tick events to the event store ${this.file} (they are lost)`,
        error,
      );
      this.#writeError ??= failure;
      try {
        this.#onWriteError?.(failure);
      } catch {
        // A listener that throws must not hide the failure from the next caller.
      }
      return failure;
    }
    this.#prune();
    return undefined;
  }

  #throwWriteError(): void {
    const error = this.#writeError;
    if (!error) return;
    this.#writeError = undefined;
    throw error;
  }

  /** Tick retention: at most once a second, after a flush; never touches non-tick events. */
  #prune(): void {
    const retention = this.#retention;
    if (!retention) return;
    const nowMs = this.#clock.now().getTime();
    if (nowMs - this.#lastPruneMs < RETENTION_EVERY_MS) return;
    this.#lastPruneMs = nowMs;
    if (retention.maxRows !== undefined) {
      const edge = this.#db
        .prepare('SELECT seq FROM events WHERE tick = 1 ORDER BY seq DESC LIMIT 1 OFFSET ?')
        .get(Math.max(0, Math.floor(retention.maxRows))) as { seq: number } | undefined;
      if (edge) this.#db.prepare('DELETE FROM events WHERE tick = 1 AND seq <= ?').run(edge.seq);
    }
    if (retention.maxAgeSeconds !== undefined) {
      const cutoff = new Date(nowMs - retention.maxAgeSeconds * 1000).toISOString();
      this.#db.prepare('DELETE FROM events WHERE tick = 1 AND time < ?').run(cutoff);
    }
  }
}

function resolveBatch(options: TickBatchOptions | undefined): Required<TickBatchOptions> {
  const maxRows = Math.floor(options?.maxRows ?? DEFAULT_TICK_BATCH.maxRows);
  const flushMs = options?.flushMs ?? DEFAULT_TICK_BATCH.flushMs;
  if (!(maxRows >= 1))
    throw new ConfigError('tickBatch.maxRows', `tickBatch.maxRows must be ≥ 1 (got ${options?.maxRows})`);
  if (!(flushMs > 0))
    throw new ConfigError('tickBatch.flushMs', `tickBatch.flushMs must be > 0 (got ${options?.flushMs})`);
  return { maxRows, flushMs };
}

function toEvent(row: EventRow): StoredEvent {
  return {
    seq: row.seq,
    type: row.type,
    botId: row.bot_id,
    time: row.time,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  };
}
