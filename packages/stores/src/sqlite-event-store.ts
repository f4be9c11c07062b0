import { type Clock, ConfigError, type EventStore, type StoredEvent, systemClock } from '@perps-bot/core';
import type Database from 'better-sqlite3';
import { closeDatabase, openDatabase, probeWrite, storeError } from './sqlite-database.js';
import {
  dropOldest,
  expandBatch,
  LEGACY_TICK_ROWS_AS_BATCHES,
  MARK_TICK,
  PendingTicks,
  TICK_BATCHES_SCHEMA,
  ticksBefore,
  ticksIn,
  type TickBatchRow,
} from './tick-batches.js';
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
/** The `ticks` table of one row per tick (the layout before tick_batches): moved into batches on open. */
const LEGACY_TICKS_TABLE = `
CREATE TABLE IF NOT EXISTS ticks (seq INTEGER PRIMARY KEY, bot_id TEXT NOT NULL, time TEXT NOT NULL, symbol TEXT,
  mark TEXT, payload TEXT);
`;
// Stores written before any ticks table kept ticks as JSON rows of events flagged tick = 1: moved on open.
const MIGRATE_TICK_EVENTS = `
${LEGACY_TICKS_TABLE}
INSERT OR IGNORE INTO ticks (seq, bot_id, time, payload) SELECT seq, bot_id, time, payload FROM events WHERE tick = 1;
DELETE FROM events WHERE tick = 1;
DROP INDEX IF EXISTS events_tick_seq;
`;
/** The next seq of the one sequence shared by events and ticks (events were AUTOINCREMENT before ticks had a table). */
const NEXT_SEQ = `max(coalesce((SELECT max(seq) FROM events), 0), coalesce((SELECT max(last_seq) FROM tick_batches), 0),
  coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0)) + 1`;
const RETENTION_EVERY_MS = 1_000;
/** Legacy tick rows per batch when a `ticks` table is moved into tick_batches. */
const MIGRATION_BATCH = 256;

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
 * Ticks live in their own table, one row per committed batch (`tick_batches`: seqs first..last, the ticks packed
 * as JSON; see tick-batches.ts); events and ticks share one seq and every read merges both, so a reader sees
 * the same events either way.
 */
export class SqliteEventStore implements EventStore {
  readonly file: string;
  readonly #db: Database.Database;
  readonly #clock: Clock;
  readonly #writer: Writer | undefined;
  /** Where committed ticks are read from: tick_batches, a legacy `ticks` table seen as batches, or nowhere. */
  readonly #batches: string | undefined;
  readonly #batch: Required<TickBatchOptions> | undefined;
  readonly #retention: TickRetentionOptions | undefined;
  readonly #onWriteError: ((error: Error) => void) | undefined;
  readonly #pending = new PendingTicks();
  #checkpointer: WalCheckpointer | undefined;
  #timer: NodeJS.Timeout | undefined;
  #writeError: Error | undefined;
  #lastPruneMs = 0;
  /** Tick rows in the file as this connection counts them (set on open when maxRows retention is on). */
  #tickRows = 0;

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
      // Read as written: a file of an older layout is moved only by a writer. Before any ticks table, ticks
      // were JSON rows of events (read as events).
      const has = (table: string) =>
        this.#db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
      this.#batches = has('tick_batches') ? 'tick_batches' : has('ticks') ? LEGACY_TICK_ROWS_AS_BATCHES : undefined;
      return;
    }
    this.#db.exec(SCHEMA + TICK_BATCHES_SCHEMA);
    this.#migrateTicks();
    this.#batches = 'tick_batches';
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
    if (this.#retention?.maxRows !== undefined) this.#tickRows = this.#committedTicks();
  }

  /** Moves ticks of older layouts (tick = 1 event rows, then a `ticks` table of one row per tick) into batches. */
  #migrateTicks(): void {
    const db = this.#db;
    const columns = db.prepare('PRAGMA table_info(events)').all() as { name: string }[];
    if (columns.some((c) => c.name === 'tick')) db.transaction(() => db.exec(MIGRATE_TICK_EVENTS)).immediate();
    if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ticks'").get() === undefined) return;
    const insert = db.prepare<[number, number, string, string, string, string]>(
      'INSERT INTO tick_batches (first_seq, last_seq, bot_id, first_time, last_time, ticks) VALUES (?, ?, ?, ?, ?, ?)',
    );
    db.transaction(() => {
      // A batch holds consecutive seqs of one bot: a gap (an event between) or another bot starts the next.
      const pending = new PendingTicks();
      let next = 0;
      const commit = () => {
        if (pending.count === 0) return;
        const row = pending.take(next - pending.count);
        insert.run(row.first_seq, row.last_seq, row.bot_id, row.first_time, row.last_time, row.ticks);
      };
      // Read in chunks (a statement cannot write while another iterates), written batch by batch.
      const chunk = db.prepare<[number]>(
        'SELECT seq, bot_id, time, symbol, mark, payload FROM ticks WHERE seq > ? ORDER BY seq LIMIT 4096',
      );
      for (let rows = chunk.all(0) as LegacyTickRow[]; rows.length > 0; rows = chunk.all(next - 1) as LegacyTickRow[]) {
        for (const r of rows) {
          if (r.seq !== next || !pending.fits(r.bot_id) || pending.count >= MIGRATION_BATCH) commit();
          const ms = Date.parse(r.time);
          if (r.payload === null) pending.push(r.bot_id, ms, r.symbol, r.mark);
          else pending.push(r.bot_id, ms, null, JSON.parse(r.payload));
          next = r.seq + 1;
        }
      }
      commit();
      db.exec('DROP TABLE ticks');
    }).immediate();
  }

  /** Ticks committed to the file. */
  #committedTicks(): number {
    if (!this.#batches) return 0;
    return this.#db
      .prepare(`SELECT coalesce(sum(last_seq - first_seq + 1), 0) FROM ${this.#batches}`)
      .pluck()
      .get() as number;
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
    return this.#pending.count;
  }

  /** The newest `limit` events, oldest first (pending ticks are committed first, so they are included). */
  tail(limit = 100): StoredEvent[] {
    this.#flushIfWritable();
    const events = (
      this.#db
        .prepare('SELECT seq, type, bot_id, time, payload FROM events ORDER BY seq DESC LIMIT ?')
        .all(limit) as EventRow[]
    )
      .reverse()
      .map(toEvent);
    if (!this.#batches || limit <= 0) return events;
    // The newest batches until they hold `limit` ticks; the merge of both newest-`limit` lists is the answer.
    const batches: TickBatchRow[] = [];
    let held = 0;
    const newest = this.#db.prepare(`SELECT * FROM ${this.#batches} ORDER BY first_seq DESC`);
    for (const row of newest.iterate() as IterableIterator<TickBatchRow>) {
      batches.push(row);
      held += ticksIn(row);
      if (held >= limit) break;
    }
    const ticks = batches.reverse().flatMap((row) => expandBatch(row));
    return mergeBySeq(events, ticks).slice(-limit);
  }

  /** Every event of one type (its index), oldest first; after `afterSeq` when given. For read commands. */
  ofType(type: string, afterSeq = 0): StoredEvent[] {
    this.#flushIfWritable();
    const events = (
      this.#db
        .prepare('SELECT seq, type, bot_id, time, payload FROM events WHERE type = ? AND seq > ? ORDER BY seq')
        .all(type, afterSeq) as EventRow[]
    ).map(toEvent);
    if (type !== 'metric' || !this.#batches) return events;
    // Stream ticks are metrics kept in their own table: a read of every metric merges both.
    const rows = this.#db
      .prepare(`SELECT * FROM ${this.#batches} WHERE last_seq > ? ORDER BY first_seq`)
      .all(afterSeq) as TickBatchRow[];
    return mergeBySeq(
      events,
      rows.flatMap((row) => expandBatch(row, afterSeq)),
    );
  }

  /** The event with this sequence number, if there is one. */
  get(seq: number): StoredEvent | undefined {
    this.#flushIfWritable();
    const row = this.#db.prepare('SELECT seq, type, bot_id, time, payload FROM events WHERE seq = ?').get(seq) as
      EventRow | undefined;
    if (row || !this.#batches) return row && toEvent(row);
    const batch = this.#db
      .prepare(`SELECT * FROM ${this.#batches} WHERE first_seq <= ? ORDER BY first_seq DESC LIMIT 1`)
      .get(seq) as TickBatchRow | undefined;
    if (!batch || batch.last_seq < seq) return undefined;
    return expandBatch(batch, seq - 1)[0];
  }

  count(): number {
    this.#flushIfWritable();
    const events = (this.#db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    return events + this.#committedTicks();
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
    const pending = this.#pending;
    if (!pending.fits(botId)) this.#flushOrThrow();
    const ms = this.#clock === systemClock ? Date.now() : this.#clock.now().getTime();
    // The stream's own tick ({event_type, symbol, mark} of strings) is packed as symbol and mark; any other shape whole.
    if (
      payload.event_type === MARK_TICK &&
      typeof symbol === 'string' &&
      typeof mark === 'string' &&
      keyCount(payload) === 3
    )
      pending.push(botId, ms, symbol, mark);
    else pending.push(botId, ms, null, payload);
    if (!this.#batch) {
      // tickBatch: false — every tick is its own FULL commit, as other events.
      this.#flushOrThrow(true);
      return;
    }
    if (pending.count >= this.#batch.maxRows) this.#flushOrThrow();
    else this.#timer ??= setTimeout(() => this.#flushFromTimer(), this.#batch.flushMs).unref();
  }

  #flushIfWritable(): void {
    if (this.#writer) this.flush();
  }

  #isoNow(): string {
    return this.#clock.now().toISOString();
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
    const pending = this.#pending;
    const writer = this.#writer;
    const rows = pending.count;
    if (rows === 0 || !writer) return undefined;
    try {
      // A tick batch commits with synchronous=NORMAL: in WAL mode that is durable against a process crash
      // (kill -9) — the bound this store promises for ticks — without an fsync per batch; the next FULL commit
      // (any other event) or checkpoint makes it durable against power loss too.
      if (!full) writer.syncNormal.run();
      try {
        writer.ticks.immediate(pending);
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
      if (excess > 0) this.#tickRows -= writer.dropOldest.immediate(excess);
    }
    if (retention.maxAgeSeconds !== undefined)
      this.#tickRows -= writer.dropBefore.immediate(nowMs - retention.maxAgeSeconds * 1000);
  }
}

interface LegacyTickRow {
  seq: number;
  bot_id: string;
  time: string;
  symbol: string | null;
  mark: string | null;
  payload: string | null;
}

interface Writer {
  readonly event: Database.Statement<[type: string, botId: string, time: string, payload: string]>;
  /** Commits the pending ticks as one batch row with consecutive seqs after the newest row of either table. */
  readonly ticks: Database.Transaction<(pending: PendingTicks) => void>;
  /** Deletes the oldest `count` ticks (whole batches, then the front of the next); returns how many went. */
  readonly dropOldest: Database.Transaction<(count: number) => number>;
  /** Deletes the ticks older than `cutoffMs`; returns how many went. */
  readonly dropBefore: Database.Transaction<(cutoffMs: number) => number>;
  // Prepared once: `db.pragma()` compiles its statement on every call (≈ 10 % of a flush's CPU).
  readonly syncNormal: Database.Statement<[]>;
  readonly syncFull: Database.Statement<[]>;
}

/** The write statements, prepared once per connection. */
function prepareWriter(db: Database.Database): Writer {
  const event = db.prepare<[string, string, string, string]>(
    `INSERT INTO events (seq, type, bot_id, time, payload) VALUES ((SELECT ${NEXT_SEQ}), ?, ?, ?, ?)`,
  );
  const nextSeq = db.prepare(`SELECT ${NEXT_SEQ} AS seq`).pluck();
  const insert = db.prepare<[number, number, string, string, string, string]>(
    'INSERT INTO tick_batches (first_seq, last_seq, bot_id, first_time, last_time, ticks) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const ticks = db.transaction((pending: PendingTicks) => {
    // Inside the (IMMEDIATE) transaction: no other connection can take a seq between this read and the insert.
    const row = pending.take(nextSeq.get() as number);
    insert.run(row.first_seq, row.last_seq, row.bot_id, row.first_time, row.last_time, row.ticks);
  });
  const sizes = db.prepare('SELECT first_seq, last_seq FROM tick_batches ORDER BY first_seq');
  const batchAt = db.prepare<[number]>('SELECT * FROM tick_batches WHERE first_seq = ?');
  const deleteBefore = db.prepare<[number]>('DELETE FROM tick_batches WHERE first_seq < ?');
  const deleteAll = db.prepare('DELETE FROM tick_batches');
  const replace = db.prepare<[number, string, string, number]>(
    'UPDATE tick_batches SET first_seq = ?, first_time = ?, ticks = ? WHERE first_seq = ?',
  );
  /** Deletes every batch before `keep` and the oldest `drop` ticks of `keep` itself. */
  const cut = (keep: TickBatchRow | undefined, drop: number) => {
    if (!keep) {
      deleteAll.run();
      return;
    }
    deleteBefore.run(keep.first_seq);
    if (drop === 0) return;
    const trimmed = dropOldest(keep, drop);
    replace.run(trimmed.first_seq, trimmed.first_time, trimmed.ticks, keep.first_seq);
  };
  const dropOldestTicks = db.transaction((count: number): number => {
    // Sizes first (a statement cannot run while another iterates), then one cut.
    let dropped = 0;
    let boundary: number | undefined;
    for (const row of sizes.iterate() as IterableIterator<Pick<TickBatchRow, 'first_seq' | 'last_seq'>>) {
      if (dropped + ticksIn(row) > count) {
        boundary = row.first_seq;
        break;
      }
      dropped += ticksIn(row);
    }
    if (boundary === undefined) {
      cut(undefined, 0);
      return dropped;
    }
    cut(batchAt.get(boundary) as TickBatchRow, count - dropped);
    return count;
  });
  // Ticks are appended in clock order: the old ones are a prefix, deleted up to the first young one.
  const firstYoung = db.prepare<[string]>('SELECT * FROM tick_batches WHERE last_time >= ? ORDER BY first_seq LIMIT 1');
  const ticksBeforeSeq = db
    .prepare<[number]>('SELECT coalesce(sum(last_seq - first_seq + 1), 0) FROM tick_batches WHERE first_seq < ?')
    .pluck();
  const allTicks = db.prepare('SELECT coalesce(sum(last_seq - first_seq + 1), 0) FROM tick_batches').pluck();
  const dropBefore = db.transaction((cutoffMs: number): number => {
    const keep = firstYoung.get(new Date(cutoffMs).toISOString()) as TickBatchRow | undefined;
    if (!keep) {
      const all = allTicks.get() as number;
      cut(undefined, 0);
      return all;
    }
    const drop = ticksBefore(keep, cutoffMs);
    const whole = ticksBeforeSeq.get(keep.first_seq) as number;
    cut(keep, drop);
    return whole + drop;
  });
  return {
    event,
    ticks,
    dropOldest: dropOldestTicks,
    dropBefore,
    syncNormal: db.prepare('PRAGMA synchronous = NORMAL'),
    syncFull: db.prepare('PRAGMA synchronous = FULL'),
  };
}

/** Two lists of events, each in seq order, as one in seq order. */
function mergeBySeq(a: readonly StoredEvent[], b: readonly StoredEvent[]): StoredEvent[] {
  if (b.length === 0) return [...a];
  if (a.length === 0) return [...b];
  const out: StoredEvent[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length)
    out.push((a[i]?.seq ?? 0) < (b[j]?.seq ?? 0) ? (a[i++] as StoredEvent) : (b[j++] as StoredEvent));
  while (i < a.length) out.push(a[i++] as StoredEvent);
  while (j < b.length) out.push(b[j++] as StoredEvent);
  return out;
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

function toEvent(row: EventRow): StoredEvent {
  return {
    seq: row.seq,
    type: row.type,
    botId: row.bot_id,
    time: row.time,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  };
}
