import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ErrorCodes, PerpsBotError } from '@perps-bot/core';

export type Synchronous = 'NORMAL' | 'FULL';

export interface OpenDatabaseOptions {
  readonly file: string;
  readonly synchronous: Synchronous;
  /** Open an existing file for reading only (a monitor or a test reading beside the running bot). */
  readonly readonly?: boolean;
}

/**
 * Opens a SQLite file in WAL mode: readers never block the writer, and a committed transaction is in the WAL
 * before `run()` returns, so killing the process (even with SIGKILL) cannot lose it. `synchronous` decides
 * whether the WAL is also fsynced on every commit (FULL: survives power loss) or only at checkpoints (NORMAL).
 */
export function openDatabase(options: OpenDatabaseOptions): Database.Database {
  try {
    if (options.readonly) {
      const db = new Database(options.file, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      return db;
    }
    mkdirSync(dirname(options.file), { recursive: true });
    const db = new Database(options.file);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous}`);
    // The bot and a reader (a test, `sqlite3` in a shell) may touch the file at once; wait rather than fail.
    db.pragma('busy_timeout = 5000');
    return db;
  } catch (error) {
    throw new PerpsBotError(ErrorCodes.STORE, `Cannot open the SQLite store at ${options.file}: ${(error as Error).message}`, {
      cause: error,
      details: { file: options.file },
    });
  }
}

/**
 * Folds the WAL back into the main file and closes. SQLite would checkpoint on the last close anyway; doing it
 * explicitly means a clean shutdown leaves one self-contained file (the WAL is removed on close).
 */
export function closeDatabase(db: Database.Database): void {
  if (!db.open) return;
  if (!db.readonly) db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

export function storeError(what: string, error: unknown): PerpsBotError {
  return new PerpsBotError(ErrorCodes.STORE, `${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
