import { systemClock, type Clock } from '@perps-bot/core';
import { DEFAULT_TICK_RETENTION_ROWS, SqliteEventStore } from '@perps-bot/stores';

/**
 * The event store exactly as `perps-bot run` opens it (apps/perps-bot/src/run-command.ts) with the default
 * settings: tick group commit at its defaults, background checkpoints, and `tickRetentionRows` at its default
 * (DEFAULT_TICK_RETENTION_ROWS). A flush error is thrown by the next append, as in the app.
 */
export function openShippedStore(file: string, clock: Clock = systemClock): SqliteEventStore {
  return new SqliteEventStore({ file, clock, tickRetention: { maxRows: DEFAULT_TICK_RETENTION_ROWS } });
}

export const SHIPPED_STORE = `SqliteEventStore as the app opens it (ticks group-committed: 256 rows / 10 ms; tickRetention maxRows ${DEFAULT_TICK_RETENTION_ROWS.toLocaleString('en-US')}; WAL checkpoints in a worker)`;
