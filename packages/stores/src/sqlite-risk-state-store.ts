import type Database from 'better-sqlite3';
import { closeDatabase, openDatabase, probeWrite, storeError } from './sqlite-database.js';

export interface SqliteRiskStateStoreOptions {
  readonly file: string;
  readonly readonly?: boolean;
  readonly maxPageCount?: number;
}

/** The risk state as saved: JSON-safe (decimals as strings); its shape belongs to @perps-bot/risk. */
export interface SavedRiskState {
  readonly state: Record<string, unknown>;
  readonly updatedAt: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS risk_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  state TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`;

/**
 * One row: the risk manager's latest state (kill switch, reduce-only and its reason, per-symbol flags, the
 * day's starting equity and its daily-loss breach). `save` commits with synchronous=FULL before it returns, so
 * the bot can act on a change once it is saved, and a restart (even after kill -9 or power loss) finds it.
 */
export class SqliteRiskStateStore {
  readonly file: string;
  readonly #db: Database.Database;

  constructor(options: SqliteRiskStateStoreOptions) {
    this.file = options.file;
    this.#db = openDatabase({
      file: options.file,
      synchronous: 'FULL',
      readonly: options.readonly ?? false,
      maxPageCount: options.maxPageCount,
    });
    if (!options.readonly) this.#db.exec(SCHEMA);
  }

  load(): SavedRiskState | null {
    let row: { state: string; updated_at: string } | undefined;
    try {
      row = this.#db.prepare('SELECT state, updated_at FROM risk_state WHERE id = 1').get() as typeof row;
    } catch (error) {
      // A read-only open of a file the bot never wrote has no table yet: nothing saved.
      if (/no such table/.test((error as Error).message)) return null;
      throw storeError(`Cannot read the risk state from ${this.file}`, error);
    }
    return row ? { state: JSON.parse(row.state) as Record<string, unknown>, updatedAt: row.updated_at } : null;
  }

  save(state: Record<string, unknown>, at: Date): void {
    try {
      this.#db
        .prepare(
          'INSERT INTO risk_state (id, state, updated_at) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at',
        )
        .run(JSON.stringify(state), at.toISOString());
    } catch (error) {
      throw storeError(`Cannot save the risk state to ${this.file}`, error);
    }
  }

  probeWrite(): void {
    probeWrite(this.#db);
  }

  close(): void {
    closeDatabase(this.#db);
  }
}
