import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { ErrorCodes, PerpsBotError, StorageUnavailableError } from '@perps-bot/core';
import { ensureWritableDirectory } from './storage-directory.js';

type Synchronous = 'NORMAL' | 'FULL';

interface OpenDatabaseOptions {
  readonly file: string;
  readonly synchronous: Synchronous;
  /** Open an existing file for reading only (a monitor or a test reading beside the running bot). */
  readonly readonly?: boolean;
  /** A ceiling on the file's size in pages (SQLite's max_page_count): past it, writes fail SQLITE_FULL. */
  readonly maxPageCount?: number | undefined;
}

/**
 * Opens a SQLite file in WAL mode: readers never block the writer, and a committed transaction is in the WAL
 * before `run()` returns, so killing the process (even with SIGKILL) cannot lose it. `synchronous` decides
 * whether the WAL is also fsynced on every commit (FULL: survives power loss) or only at checkpoints (NORMAL).
 */
export function openDatabase(options: OpenDatabaseOptions): Database.Database {
  // Outside the try: an unusable directory is a StorageUnavailableError naming the directory, as it is.
  if (!options.readonly) ensureWritableDirectory(dirname(options.file));
  try {
    if (options.readonly) {
      const db = new Database(options.file, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      return db;
    }
    const db = new Database(options.file);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous}`);
    // The bot and a reader (a test, `sqlite3` in a shell) may touch the file at once; wait rather than fail.
    db.pragma('busy_timeout = 5000');
    if (options.maxPageCount !== undefined) db.pragma(`max_page_count = ${Math.trunc(options.maxPageCount)}`);
    return db;
  } catch (error) {
    if (!options.readonly) throw storageFailure(options.file, error, 'cannot open');
    throw new PerpsBotError(
      ErrorCodes.STORE,
      `Cannot open the SQLite store at ${options.file}: ${(error as Error).message}`,
      {
        cause: error,
        details: { file: options.file },
      },
    );
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
  return new PerpsBotError(ErrorCodes.STORE, `${what}: ${error instanceof Error ? error.message : String(error)}`, {
    cause: error,
  });
}

/**
 * The system's code for a failed write, when it says the store itself is unusable (full, I/O error,
 * read-only, missing, corrupt) rather than the statement being wrong: those stop trading.
 */
export function storageFailureCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  if (/^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|PERM|BUSY|LOCKED|NOMEM)/.test(code)) return code;
  if (['ENOSPC', 'EROFS', 'EACCES', 'EPERM', 'EIO', 'ENOENT', 'ENOTDIR', 'EDQUOT'].includes(code)) return code;
  return undefined;
}

/** A StorageUnavailableError for `file`, in the one-line form the operator sees. */
export function storageFailure(file: string, error: unknown, what = 'cannot write'): StorageUnavailableError {
  const code =
    storageFailureCode(error) ?? ((error as { code?: unknown } | null)?.code as string | undefined) ?? 'UNKNOWN';
  const message = error instanceof Error ? error.message : String(error);
  return new StorageUnavailableError(file, code, `storage unavailable: ${what} ${file}: ${code}: ${message}`, {
    cause: error,
  });
}

/**
 * Commits a write of a little more than a page, then its removal, in one transaction: it fails exactly as a
 * real append would (SQLITE_FULL when the file cannot grow, SQLITE_IOERR when the WAL cannot be written,
 * SQLITE_READONLY) and leaves an empty table behind. It must commit: in WAL mode a transaction that is rolled
 * back never reaches the file, so it would pass on a disk that refuses every commit.
 */
export function probeWrite(db: Database.Database): void {
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS storage_probe (blob BLOB)');
    db.prepare('INSERT INTO storage_probe VALUES (zeroblob(?))').run(
      2 * (db.pragma('page_size', { simple: true }) as number),
    );
    db.exec('DELETE FROM storage_probe');
  })();
}
