import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, parse, resolve } from 'node:path';
import { StorageUnavailableError } from '@perps-bot/core';

/**
 * Makes `dir` (and its missing parents) and checks that the bot can write there, or throws a
 * StorageUnavailableError naming the directory and the system's error code — at once, whatever the path.
 *
 * Why not `mkdirSync(dir, { recursive: true })`: on Node 20 it loops for ever, burning CPU, when mkdir
 * answers ENOENT although the parent exists (any path under /proc, e.g. `--data-dir /proc/foo`): it creates
 * the parent (EEXIST), retries the child (ENOENT) and starts again. Here each level is created once,
 * top-down, with a plain mkdir, so every path ends in a directory or in one error.
 */
export function ensureWritableDirectory(dir: string): void {
  const target = resolve(dir);
  const missing: string[] = [];
  let existing = target;
  for (;;) {
    const kind = pathKind(existing);
    if (kind === 'directory') break;
    if (kind === 'other') throw unusable(target, 'ENOTDIR', `${existing} is not a directory`);
    missing.unshift(existing);
    const parent = dirname(existing);
    if (parent === existing || existing === parse(existing).root) break;
    existing = parent;
  }
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'EIO';
      // Another process may have made it between our stat and mkdir; only a directory is fine.
      if (code === 'EEXIST' && pathKind(level) === 'directory') continue;
      throw unusable(target, code, `cannot create ${level}: ${code}`, error);
    }
  }
  try {
    accessSync(target, constants.W_OK | constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EACCES';
    throw unusable(target, code, `cannot write in ${target}: ${code}`, error);
  }
}

function pathKind(path: string): 'directory' | 'other' | 'missing' {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'other';
  } catch {
    return 'missing';
  }
}

function unusable(dir: string, code: string, what: string, cause?: unknown): StorageUnavailableError {
  return new StorageUnavailableError(
    dir,
    code,
    `storage unavailable: data directory ${dir} is unusable (${what})`,
    cause === undefined ? {} : { cause },
  );
}
