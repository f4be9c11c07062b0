import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, ManualClock, StorageUnavailableError, type Brokerage } from '@perps-bot/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteEventStore } from './sqlite-event-store.js';
import { SqliteOrdersStore } from './sqlite-orders-store.js';
import { ensureWritableDirectory } from './storage-directory.js';
import { guardBroker, guardEventStore, guardOrdersStore, guardWrite, StorageHealthMonitor } from './storage-health.js';
import { makeOrder, tempDir } from './test-utils.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

/** Appends until SQLite refuses: the file has reached max_page_count, as a full disk would stop it. */
function fill(append: () => void): unknown {
  for (let i = 0; i < 10_000; i++) {
    try {
      append();
    } catch (error) {
      return error;
    }
  }
  throw new Error('the store never filled up');
}

describe('StorageHealthMonitor with a store that is really full (max_page_count)', () => {
  it('turns SQLITE_FULL on the event store into StorageUnavailableError naming the file, and blocks orders', () => {
    const file = join(dir(), 'events.sqlite');
    const raw = new SqliteEventStore({ file, maxPageCount: 8 });
    cleanups.push(() => raw.close());
    const monitor = new StorageHealthMonitor({ clock: new ManualClock('2026-03-02T10:00:00Z') });
    const events = guardEventStore(raw, monitor);
    const error = fill(() => events.appendEvent('tick', 'bot', { pad: 'x'.repeat(500) }));
    expect(error).toBeInstanceOf(StorageUnavailableError);
    const failure = error as StorageUnavailableError;
    expect(failure.code).toBe(ErrorCodes.STORAGE_UNAVAILABLE);
    expect(failure.reason).toBe('SQLITE_FULL');
    expect(failure.file).toBe(file);
    expect(failure.message).toMatch(
      new RegExp(`^storage unavailable: cannot write ${file.replace(/[.]/g, '\\.')}: SQLITE_FULL: `),
    );
    expect(failure.message).not.toContain('\n');
    expect(monitor.available).toBe(false);
    expect(() => monitor.assertWritable()).toThrow(StorageUnavailableError);
  });

  it('orders store full: the failure is recorded and the probe keeps failing until the file can grow', () => {
    const file = join(dir(), 'orders.sqlite');
    const raw = new SqliteOrdersStore({ file, maxPageCount: 16 });
    cleanups.push(() => raw.close());
    const clock = new ManualClock('2026-03-02T10:00:00Z');
    const monitor = new StorageHealthMonitor({ clock, exitAfterCycles: 3, exitAfterMs: 60_000 });
    monitor.watch(raw);
    const orders = guardOrdersStore(raw, monitor);
    let n = 0;
    const error = fill(() => orders.upsert(makeOrder({ id: `ord-${n++}`, clientId: 'c'.repeat(400) })));
    expect((error as StorageUnavailableError).reason).toBe('SQLITE_FULL');
    expect(monitor.beforeCycle()).toBe('unavailable');
    expect(monitor.beforeCycle()).toBe('unavailable');
    expect(monitor.beforeCycle()).toBe('exit');
    expect(monitor.exitBound).toBe('3 cycles or 60 s');
  });
});

describe('StorageHealthMonitor by injection', () => {
  const ioError = () => Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE' });

  it('exits once the condition has lasted exitAfterMs, even within exitAfterCycles', () => {
    const clock = new ManualClock('2026-03-02T10:00:00Z');
    const monitor = new StorageHealthMonitor({ clock, exitAfterCycles: 100, exitAfterMs: 10_000 });
    const events = guardEventStore(
      {
        file: '/data/events.sqlite',
        appendEvent: () => {
          throw ioError();
        },
        appendMetric: vi.fn(),
        tail: () => [],
        count: () => 0,
        close: vi.fn(),
      },
      monitor,
    );
    expect(() => events.appendEvent('x', 'bot', {})).toThrow(
      /storage unavailable: cannot write \/data\/events\.sqlite: SQLITE_IOERR_WRITE: disk I\/O error/,
    );
    expect(monitor.beforeCycle()).toBe('unavailable');
    clock.advance(10_000);
    expect(monitor.beforeCycle()).toBe('exit');
  });

  it('recovers when the probe of the failing store succeeds again', () => {
    let full = true;
    const store = {
      file: '/data/events.sqlite',
      probeWrite: () => {
        if (full) throw ioError();
      },
    };
    const monitor = new StorageHealthMonitor({ exitAfterCycles: 5 });
    monitor.watch(store);
    monitor.recordFailure(new StorageUnavailableError(store.file, 'SQLITE_IOERR_WRITE', 'storage unavailable: x'));
    expect(monitor.beforeCycle()).toBe('unavailable');
    full = false;
    expect(monitor.beforeCycle()).toBe('available');
    expect(monitor.available).toBe(true);
  });

  it('a write that returns after a failure does not lift it (a buffered tick, a write that still fits): only the probe does', () => {
    const monitor = new StorageHealthMonitor({ exitAfterCycles: 5 });
    const failure = new StorageUnavailableError('/data/events.sqlite', 'SQLITE_IOERR_WRITE', 'storage unavailable: x');
    const heard: unknown[] = [];
    monitor.onUnavailable((f) => heard.push(f));
    expect(() =>
      guardWrite(monitor, failure.file, () => {
        throw failure;
      }),
    ).toThrow(failure);
    expect(guardWrite(monitor, failure.file, () => 'buffered')).toBe('buffered');
    expect(monitor.available).toBe(false);
    expect(() =>
      guardWrite(monitor, failure.file, () => {
        throw failure;
      }),
    ).toThrow(failure);
    expect(heard).toHaveLength(1);
  });

  it('a statement error that is not about storage passes through and leaves storage available', () => {
    const monitor = new StorageHealthMonitor();
    const events = guardEventStore(
      {
        file: '/e',
        appendEvent: () => {
          throw new TypeError('bad payload');
        },
        appendMetric: vi.fn(),
        tail: () => [],
        count: () => 0,
        close: vi.fn(),
      },
      monitor,
    );
    expect(() => events.appendEvent('x', 'bot', {})).toThrow(TypeError);
    expect(monitor.available).toBe(true);
  });

  it('the guarded broker refuses placeOrder while storage is unavailable and passes everything else through', async () => {
    const placeOrder = vi.fn(async () => makeOrder());
    const listPositions = vi.fn(async () => []);
    const monitor = new StorageHealthMonitor();
    const guarded = guardBroker({ placeOrder, listPositions } as unknown as Brokerage, monitor);
    await guarded.placeOrder({ symbol: 'BTC-PERP' } as never);
    expect(placeOrder).toHaveBeenCalledTimes(1);
    monitor.recordFailure(new StorageUnavailableError('/o', 'SQLITE_FULL', 'storage unavailable: full'));
    expect(() => guarded.placeOrder({ symbol: 'BTC-PERP' } as never)).toThrow(StorageUnavailableError);
    expect(placeOrder).toHaveBeenCalledTimes(1);
    await guarded.listPositions();
    expect(listPositions).toHaveBeenCalledTimes(1);
  });

  it('a read-only database is a storage failure too (SQLITE_READONLY), whatever the wrapping', () => {
    const monitor = new StorageHealthMonitor();
    const readonly = Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' });
    const wrapped = new Error('Cannot store order ord-1', { cause: readonly });
    const failing = () => {
      throw wrapped;
    };
    const orders = guardOrdersStore(
      {
        file: '/data/orders.sqlite',
        upsert: failing,
        recordIntent: failing,
        updateIntent: failing,
        get: () => null,
        list: () => [],
        openOrders: () => [],
        getIntent: () => null,
        unresolvedIntents: () => [],
        count: () => 0,
        close: vi.fn(),
      },
      monitor,
    );
    expect(() => orders.recordIntent({} as never)).toThrow(/SQLITE_READONLY/);
    expect(() => orders.upsert(makeOrder())).toThrow(
      /^storage unavailable: cannot write \/data\/orders\.sqlite: SQLITE_READONLY: attempt to write a readonly database$/,
    );
    expect(monitor.failure?.error.reason).toBe('SQLITE_READONLY');
  });
});

describe('ensureWritableDirectory', () => {
  it('fails at once on a path under /proc, where mkdir -p loops for ever on Node 20', () => {
    expect(() => ensureWritableDirectory('/proc/foo/perps_bot/dev')).toThrow(StorageUnavailableError);
    expect(() => ensureWritableDirectory('/proc/foo/perps_bot/dev')).toThrow(
      /^storage unavailable: data directory \/proc\/foo\/perps_bot\/dev is unusable \(cannot create \/proc\/foo: ENOENT\)$/,
    );
  });

  it('refuses a path through a file, and makes nested directories otherwise', () => {
    const root = dir();
    writeFileSync(join(root, 'file'), 'x');
    expect(() => ensureWritableDirectory(join(root, 'file', 'sub'))).toThrow(/is not a directory/);
    ensureWritableDirectory(join(root, 'a', 'b', 'c'));
    ensureWritableDirectory(join(root, 'a', 'b', 'c'));
  });

  it('opening a store under /proc throws StorageUnavailableError instead of hanging', () => {
    expect(() => new SqliteEventStore({ file: '/proc/foo/perps_bot/dev/events.sqlite' })).toThrow(
      StorageUnavailableError,
    );
  });
});
