import { type Clock, ConfigError, type EventStore, type StoredEvent, systemClock } from '@perps-bot/core';
import type Database from 'better-sqlite3';
import { closeDatabase, openDatabase, probeWrite, storeError } from './sqlite-database.js';
import { WalCheckpointer } from './wal-checkpointer.js';

/** Metric event types that are market ticks: group-committed and subject to `tickRetention`. */
const TICK_EVENT_TYPES: ReadonlySet<string> = new Set(['ws_mark_update']);

/** Defaults of the tick group commit: at most this many ticks, or this many ms, wait for one transaction. */
const DEFAULT_TICK_BATCH = { maxRows: 256, flushMs: 10 } as const;

/** Tick rows the app keeps unless told otherwise (its `tickRetentionRows` default; the newest are kept). */
export const DEFAULT_TICK_RETENTION_ROWS = 1_000_000;

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

/** A row of `tail`'s merge: a usual tick has symbol and mark in their own columns and no payload JSON. */
interface MergedRow {
  seq: number;
  type: string;
  bot_id: string;
  time: string;
  payload: string | null;
  symbol: string | null;
  mark: string | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  type TEXT NOT NULL,
  bot_id TEXT NOT NULL,
  time TEXT NOT NULL,
  payload TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_type ON events(type);
CREATE TABLE IF NOT EXISTS ticks (
  seq INTEGER PRIMARY KEY,
  bot_id TEXT NOT NULL,
  time TEXT NOT NULL,
  symbol TEXT,
  mark TEXT,
  payload TEXT
);
`;
// Stores written before the ticks table kept ticks as JSON rows of events flagged tick = 1: moved on open.
const MIGRATE_TICK_ROWS = `
INSERT OR IGNORE INTO ticks (seq, bot_id, time, payload) SELECT seq, bot_id, time, payload FROM events WHERE tick = 1;
DELETE FROM events WHERE tick = 1;
DROP INDEX IF EXISTS events_tick_seq;
`;
/** The next seq of the one sequence shared by events and ticks (events were AUTOINCREMENT before ticks had a table). */
const NEXT_SEQ = `max(coalesce((SELECT max(seq) FROM events), 0), coalesce((SELECT max(seq) FROM ticks), 0),
  coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)) + 1`;
const RETENTION_EVERY_MS = 1_000;
const MULTI_ROW = 32;
const TICK_COLUMNS = 6;

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
 *
 * Ticks live in their own `ticks` table (the usual one as columns, no JSON, no secondary index); events and ticks
 * share one seq and `tail()` / `count()` merge both, so a reader sees the same events either way.
 */
export class SqliteEventStore implements EventStore {
  readonly file: string;
  readonly #db: Database.Database;
  readonly #clock: Clock;
  readonly #writer: Writer | undefined;
  readonly #hasTicks: boolean;
  readonly #batch: Required<TickBatchOptions> | undefined;
  readonly #retention: TickRetentionOptions | undefined;
  readonly #onWriteError: ((error: Error) => void) | undefined;
  /** Pending ticks, TICK_FIELDS values each (bot_id, time, symbol, mark, payload): no object per tick. */
  #pending: (string | null)[] = [];
  #checkpointer: WalCheckpointer | undefined;
  #timer: NodeJS.Timeout | undefined;
  #writeError: Error | undefined;
  #lastPruneMs = 0;
  /** Tick rows in the file as this connection counts them (set on open when maxRows retention is on). */
  #tickRows = 0;
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
    if (options.readonly) {
      // A file written before the ticks table has none; its ticks are still JSON rows of events.
      this.#hasTicks =
        this.#db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ticks'").get() !== undefined;
      return;
    }
    this.#db.exec(SCHEMA);
    const columns = this.#db.prepare('PRAGMA table_info(events)').all() as { name: string }[];
    if (columns.some((c) => c.name === 'tick'))
      this.#db.transaction(() => this.#db.exec(MIGRATE_TICK_ROWS)).immediate();
    this.#hasTicks = true;
    if (options.backgroundCheckpoint !== false) {
      // The WAL is checkpointed off the main thread (see WalCheckpointer), not inside a tick commit.
      this.#db.pragma('wal_autocheckpoint = 0');
      this.#checkpointer = new WalCheckpointer({
        file: options.file,
        ...(typeof options.backgroundCheckpoint === 'object' ? { everyMs: options.backgroundCheckpoint.everyMs } : {}),
        onError: (message) =>
          this.#onWriteError?.(
            storeError(
              `Cannot checkpoint the event store ${this.file} (its WAL grows until one succeeds)`,
              new Error(message),
            ),
          ),
      });
    }
    this.#writer = prepareWriter(this.#db);
    if (this.#retention?.maxRows !== undefined)
      this.#tickRows = (this.#db.prepare('SELECT COUNT(*) AS n FROM ticks').get() as { n: number }).n;
  }

  appendMetric(botId: string, payload: Record<string, unknown>): void {
    this.appendEvent('metric', botId, payload);
  }

  appendEvent(type: string, botId: string, payload: Record<string, unknown>): void {
    const writer = this.#writer;
    if (!writer) throw storeError(`Cannot append "${type}"`, new Error(`the event store ${this.file} is read-only`));
    this.#throwWriteError();
    if (type === 'metric' && TICK_EVENT_TYPES.has(payload.event_type as string)) {
      this.#appendTick(botId, payload);
      return;
    }
    this.#flushOrThrow();
    try {
      writer.event.run(type, botId, this.#isoNow(), JSON.stringify(payload));
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
    return this.#pending.length / TICK_FIELDS;
  }

  /** The newest `limit` events, oldest first (pending ticks are committed first, so they are included). */
  tail(limit = 100): StoredEvent[] {
    this.#flushIfWritable();
    if (!this.#hasTicks) {
      const rows = this.#db
        .prepare('SELECT seq, type, bot_id, time, payload FROM events ORDER BY seq DESC LIMIT ?')
        .all(limit) as EventRow[];
      return rows.reverse().map(toEvent);
    }
    // Each table gives its newest `limit` by its primary key; the merge of those 2 × limit rows is the answer.
    const rows = this.#db
      .prepare(
        `SELECT * FROM (SELECT seq, type, bot_id, time, payload, NULL AS symbol, NULL AS mark FROM events ORDER BY seq DESC LIMIT @limit)
         UNION ALL
         SELECT * FROM (SELECT seq, 'metric' AS type, bot_id, time, payload, symbol, mark FROM ticks ORDER BY seq DESC LIMIT @limit)
         ORDER BY seq DESC LIMIT @limit`,
      )
      .all({ limit }) as MergedRow[];
    return rows.reverse().map(toEvent);
  }

  /** Every event of one type (its index), oldest first; after `afterSeq` when given. For read commands. */
  ofType(type: string, afterSeq = 0): StoredEvent[] {
    this.#flushIfWritable();
    if (type !== 'metric' || !this.#hasTicks) {
      const rows = this.#db
        .prepare('SELECT seq, type, bot_id, time, payload FROM events WHERE type = ? AND seq > ? ORDER BY seq')
        .all(type, afterSeq) as EventRow[];
      return rows.map(toEvent);
    }
    // Stream ticks are metrics kept in their own table: a read of every metric merges both.
    const rows = this.#db
      .prepare(
        `SELECT seq, type, bot_id, time, payload, NULL AS symbol, NULL AS mark FROM events WHERE type = 'metric' AND seq > @after
         UNION ALL
         SELECT seq, 'metric' AS type, bot_id, time, payload, symbol, mark FROM ticks WHERE seq > @after
         ORDER BY seq`,
      )
      .all({ after: afterSeq }) as MergedRow[];
    return rows.map(toEvent);
  }

  /** The event with this sequence number, if there is one. */
  get(seq: number): StoredEvent | undefined {
    this.#flushIfWritable();
    const row = this.#db.prepare('SELECT seq, type, bot_id, time, payload FROM events WHERE seq = ?').get(seq) as
      EventRow | undefined;
    if (row || !this.#hasTicks) return row && toEvent(row);
    const tick = this.#db
      .prepare("SELECT seq, 'metric' AS type, bot_id, time, payload, symbol, mark FROM ticks WHERE seq = ?")
      .get(seq) as MergedRow | undefined;
    return tick && toEvent(tick);
  }

  count(): number {
    this.#flushIfWritable();
    const events = (this.#db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    if (!this.#hasTicks) return events;
    return events + (this.#db.prepare('SELECT COUNT(*) AS n FROM ticks').get() as { n: number }).n;
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
      if (this.#writer) this.flush();
    } catch (error) {
      failure = error as Error;
    }
    this.#checkpointer?.stop();
    closeDatabase(this.#db);
    if (failure) throw failure;
  }

  #appendTick(botId: string, payload: Record<string, unknown>): void {
    const { symbol, mark } = payload;
    // The stream's own tick ({event_type, symbol, mark} of strings) is stored as columns; any other shape whole.
    const usual =
      payload.event_type === MARK_TICK &&
      typeof symbol === 'string' &&
      typeof mark === 'string' &&
      keyCount(payload) === 3;
    const pending = this.#pending;
    if (usual) pending.push(botId, this.#isoNow(), symbol, mark, null);
    else pending.push(botId, this.#isoNow(), null, null, JSON.stringify(payload));
    if (!this.#batch) {
      // tickBatch: false — every tick is its own FULL commit, as other events.
      this.#flushOrThrow(true);
      return;
    }
    if (pending.length >= this.#batch.maxRows * TICK_FIELDS) this.#flushOrThrow();
    else this.#timer ??= setTimeout(() => this.#flushFromTimer(), this.#batch.flushMs).unref();
  }

  #flushIfWritable(): void {
    if (this.#writer) this.flush();
  }

  /** The clock's now as ISO text; ticks arrive many per millisecond, so the text is reused within one. */
  #isoNow(): string {
    // The system clock is read without a Date per tick.
    const ms = this.#clock === systemClock ? Date.now() : this.#clock.now().getTime();
    if (ms !== this.#isoMs) {
      this.#isoMs = ms;
      this.#iso = new Date(ms).toISOString();
    }
    return this.#iso;
  }

  #flushFromTimer(): void {
    this.#timer = undefined;
    // The error is kept for the next caller and told to the listener; a timer has nobody to throw to.
    this.#flush(false);
  }

  #flushOrThrow(full = false): void {
    const error = this.#flush(full);
    if (error) this.#throwWriteError();
  }

  /** Commits the pending ticks in one transaction; on failure records (and reports) the error and returns it. */
  #flush(full: boolean): Error | undefined {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const values = this.#pending;
    const writer = this.#writer;
    if (values.length === 0 || !writer) return undefined;
    this.#pending = [];
    const rows = values.length / TICK_FIELDS;
    try {
      // A tick batch commits with synchronous=NORMAL: in WAL mode that is durable against a process crash
      // (kill -9) — the bound this store promises for ticks — without an fsync per batch; the next FULL commit
      // (any other event) or checkpoint makes it durable against power loss too.
      if (!full) writer.syncNormal.run();
      try {
        writer.ticks.immediate(values);
      } finally {
        if (!full) writer.syncFull.run();
      }
    } catch (error) {
      const failure = storeError(
        `Cannot commit ${rows} tick events to the event store ${this.file} (they are lost)`,
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
    this.#tickRows += rows;
    this.#prune(writer);
    return undefined;
  }

  #throwWriteError(): void {
    const error = this.#writeError;
    if (!error) return;
    this.#writeError = undefined;
    throw error;
  }

  /**
   * Tick retention: at most once a second, after a flush; never touches other events. Both bounds delete from
   * the oldest end by primary key, so a prune costs the rows it deletes, not the rows it keeps.
   */
  #prune(writer: Writer): void {
    const retention = this.#retention;
    if (!retention) return;
    const nowMs = this.#clock.now().getTime();
    if (nowMs - this.#lastPruneMs < RETENTION_EVERY_MS) return;
    this.#lastPruneMs = nowMs;
    if (retention.maxRows !== undefined) {
      const excess = this.#tickRows - Math.max(0, Math.floor(retention.maxRows));
      if (excess > 0) this.#tickRows -= writer.pruneOldest.run(excess).changes;
    }
    if (retention.maxAgeSeconds !== undefined) {
      const cutoff = new Date(nowMs - retention.maxAgeSeconds * 1000).toISOString();
      this.#tickRows -= writer.pruneBefore.run(cutoff).changes;
    }
  }
}

/** Pending values per tick: bot_id, time, symbol, mark, payload. */
const TICK_FIELDS = 5;
const MARK_TICK = 'ws_mark_update';

interface Writer {
  readonly event: Database.Statement<[type: string, botId: string, time: string, payload: string]>;
  /** Inserts pending tick values (TICK_FIELDS each) with consecutive seqs after the newest row of either table. */
  readonly ticks: Database.Transaction<(values: readonly (string | null)[]) => void>;
  readonly pruneOldest: Database.Statement<[count: number]>;
  // Prepared once: `db.pragma()` compiles its statement on every call (≈ 10 % of a flush's CPU).
  readonly syncNormal: Database.Statement<[]>;
  readonly syncFull: Database.Statement<[]>;
  readonly pruneBefore: Database.Statement<[cutoff: string]>;
}

/** The write statements, prepared once per connection. */
function prepareWriter(db: Database.Database): Writer {
  const event = db.prepare<[string, string, string, string]>(
    `INSERT INTO events (seq, type, bot_id, time, payload) VALUES ((SELECT ${NEXT_SEQ}), ?, ?, ?, ?)`,
  );
  const nextSeq = db.prepare(`SELECT ${NEXT_SEQ} AS seq`).pluck();
  const one = db.prepare<unknown[]>(
    'INSERT INTO ticks (seq, bot_id, time, symbol, mark, payload) VALUES (?, ?, ?, ?, ?, ?)',
  );
  // Ticks go in as multi-row INSERTs of MULTI_ROW rows: one statement step per 32 rows instead of per row.
  const many = db.prepare<unknown[]>(
    `INSERT INTO ticks (seq, bot_id, time, symbol, mark, payload) VALUES ${Array.from({ length: MULTI_ROW }, () => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
  );
  const params = new Array<unknown>(MULTI_ROW * TICK_COLUMNS);
  const single = new Array<unknown>(TICK_COLUMNS);
  const ticks = db.transaction((values: readonly (string | null)[]) => {
    // Inside the (IMMEDIATE) transaction: no other connection can take a seq between this read and the insert.
    let seq = nextSeq.get() as number;
    const rows = values.length / TICK_FIELDS;
    let row = 0;
    for (; row + MULTI_ROW <= rows; row += MULTI_ROW) {
      for (let k = 0; k < MULTI_ROW; k++) {
        const from = (row + k) * TICK_FIELDS;
        const at = k * TICK_COLUMNS;
        params[at] = seq++;
        for (let f = 0; f < TICK_FIELDS; f++) params[at + 1 + f] = values[from + f];
      }
      many.run(params);
    }
    for (; row < rows; row++) {
      const from = row * TICK_FIELDS;
      single[0] = seq++;
      for (let f = 0; f < TICK_FIELDS; f++) single[1 + f] = values[from + f];
      one.run(single);
    }
  });
  return {
    event,
    ticks,
    syncNormal: db.prepare('PRAGMA synchronous = NORMAL'),
    syncFull: db.prepare('PRAGMA synchronous = FULL'),
    pruneOldest: db.prepare<[number]>(
      'DELETE FROM ticks WHERE seq <= (SELECT seq FROM ticks ORDER BY seq LIMIT 1 OFFSET ? - 1)',
    ),
    // Ticks are appended in clock order: the old ones are a prefix, deleted up to the first young one.
    pruneBefore: db.prepare<[string]>(
      `DELETE FROM ticks WHERE seq < coalesce((SELECT seq FROM ticks WHERE time >= ? ORDER BY seq LIMIT 1),
        (SELECT max(seq) FROM ticks) + 1)`,
    ),
  };
}

/** Own enumerable keys, counted without the array Object.keys makes (once per tick). */
function keyCount(object: Record<string, unknown>): number {
  let n = 0;
  for (const key in object) if (Object.hasOwn(object, key)) n++;
  return n;
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

function toEvent(row: EventRow | MergedRow): StoredEvent {
  const columns = 'symbol' in row && row.symbol !== null && row.payload === null;
  return {
    seq: row.seq,
    type: row.type,
    botId: row.bot_id,
    time: row.time,
    payload: columns
      ? { event_type: MARK_TICK, symbol: row.symbol, mark: row.mark }
      : (JSON.parse(row.payload as string) as Record<string, unknown>),
  };
}
