import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PaperLedgerSnapshot } from '@perps-bot/broker-adapters';
import { ConfigError } from '@perps-bot/core';

/** A dry run's own files beside the live ones: the paper ledger and the orders it placed on it. */
const DRY_RUN_LEDGER_FILE = 'dry-run-ledger.json';
export const DRY_RUN_ORDERS_FILE = 'dry-run-orders.sqlite';

export function dryRunLedgerPath(storageDir: string): string {
  return join(storageDir, DRY_RUN_LEDGER_FILE);
}

/** The saved ledger, or undefined when none was written yet. Unreadable JSON stops the bot: losing a ledger is not silent. */
export function readLedgerFile(path: string): PaperLedgerSnapshot | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PaperLedgerSnapshot;
  } catch (error) {
    throw new ConfigError(
      'dryRun',
      `the dry-run ledger ${path} is not valid JSON (${error instanceof Error ? error.message : String(error)}); move it away to start a new one`,
    );
  }
}

/** Temporary file + rename, as health.json: a reader or a kill -9 never sees half a ledger. */
export function writeLedgerFile(path: string, snapshot: PaperLedgerSnapshot): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(snapshot)}\n`);
  renameSync(temporary, path);
}
