import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '@perps-bot/core';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteEventStore } from './sqlite-event-store.js';
import { tempDir } from './test-utils.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function eventsFile(): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  return join(dir, 'events.sqlite');
}

/** Enough ticks to cross SQLite's automatic checkpoint threshold (1,000 WAL pages) several times over. */
const TICKS = 60_000;
function writeTicks(store: SqliteEventStore): void {
  for (let i = 0; i < TICKS; i++)
    store.appendMetric('perps_bot', { event_type: 'ws_mark_update', symbol: 'BTC-USD', mark: '50000.12', i });
  store.flush();
}
const size = (file: string) => statSync(file).size;

describe('SqliteEventStore: the WAL is checkpointed off the main thread', () => {
  it('no tick commit checkpoints on the caller’s thread: the database file does not grow while the WAL fills', () => {
    const file = eventsFile();
    // A checkpoint interval far beyond the test, so only an in-commit (automatic) checkpoint could move rows.
    const store = new SqliteEventStore({ file, clock: new ManualClock(), backgroundCheckpoint: { everyMs: 600_000 } });
    const before = size(file);
    writeTicks(store);
    expect(size(`${file}-wal`)).toBeGreaterThan(4 * 1024 * 1024);
    expect(size(file)).toBe(before);
    expect(store.count()).toBe(TICKS);
    store.close();
  });

  it('the background checkpointer folds the WAL into the database file, so the WAL is reused rather than grown', async () => {
    const file = eventsFile();
    const store = new SqliteEventStore({ file, clock: new ManualClock(), backgroundCheckpoint: { everyMs: 20 } });
    const before = size(file);
    writeTicks(store);
    const deadline = Date.now() + 10_000;
    // The checkpointer runs beside the writer (another thread): wait for the whole WAL to be folded in, not for
    // the first partial checkpoint that happened while the ticks were still being written.
    while (size(file) <= before + 4 * 1024 * 1024 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 25));
    expect(size(file)).toBeGreaterThan(before + 4 * 1024 * 1024);
    // A second batch of the same size after a full checkpoint restarts the WAL from its start: it does not double.
    const walAfterFirst = size(`${file}-wal`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    writeTicks(store);
    expect(size(`${file}-wal`)).toBeLessThan(walAfterFirst * 1.5);
    expect(store.count()).toBe(2 * TICKS);
    store.close();
  });
});
