import { systemClock, type Clock, type EventStore, type StoredEvent } from '@perps-bot/core';
import type Database from 'better-sqlite3';
import { closeDatabase, openDatabase, probeWrite, storeError } from './sqlite-database.js';

export interface SqliteEventStoreOptions {
  readonly file: string;
  readonly clock?: Clock;
  /** Read an existing store without writing to it (tests, monitors). Appends then throw. */
  readonly readonly?: boolean;
  /** A ceiling on the file's size in SQLite pages; tests use it to fill the disk for real. */
  readonly maxPageCount?: number;
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

/**
 * The event store on SQLite. Each append is its own committed transaction (better-sqlite3 autocommits a
 * statement run outside a transaction), so an append that returned survives kill -9 and a restart simply
 * continues the sequence (AUTOINCREMENT never reuses a seq).
 *
 * synchronous=FULL, not NORMAL: with NORMAL a commit is safe from a process crash but can be lost on power
 * failure until the next checkpoint. Events are the bot's audit trail (what it saw, what it would have done,
 * why it stopped) and are written a handful of times per cycle, so an fsync per append costs nothing that
 * matters and buys durability against the machine dying, too.
 */
export class SqliteEventStore implements EventStore {
  readonly file: string;
  readonly #db: Database.Database;
  readonly #clock: Clock;
  readonly #insert: Database.Statement<[string, string, string, string]> | undefined;

  constructor(options: SqliteEventStoreOptions) {
    this.file = options.file;
    this.#clock = options.clock ?? systemClock;
    this.#db = openDatabase({ file: options.file, synchronous: 'FULL', readonly: options.readonly ?? false, maxPageCount: options.maxPageCount });
    if (!options.readonly) {
      this.#db.exec(SCHEMA);
      this.#insert = this.#db.prepare('INSERT INTO events (type, bot_id, time, payload) VALUES (?, ?, ?, ?)');
    }
  }

  appendMetric(botId: string, payload: Record<string, unknown>): void {
    this.appendEvent('metric', botId, payload);
  }

  appendEvent(type: string, botId: string, payload: Record<string, unknown>): void {
    if (!this.#insert) throw storeError(`Cannot append "${type}"`, new Error(`the event store ${this.file} is read-only`));
    try {
      this.#insert.run(type, botId, this.#clock.now().toISOString(), JSON.stringify(payload));
    } catch (error) {
      throw storeError(`Cannot append "${type}" to the event store ${this.file}`, error);
    }
  }

  /** The newest `limit` events, oldest first. */
  tail(limit = 100): StoredEvent[] {
    const rows = this.#db
      .prepare('SELECT seq, type, bot_id, time, payload FROM events ORDER BY seq DESC LIMIT ?')
      .all(limit) as EventRow[];
    return rows.reverse().map(toEvent);
  }

  count(): number {
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

  close(): void {
    closeDatabase(this.#db);
  }
}

function toEvent(row: EventRow): StoredEvent {
  return { seq: row.seq, type: row.type, botId: row.bot_id, time: row.time, payload: JSON.parse(row.payload) as Record<string, unknown> };
}
