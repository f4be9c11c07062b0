import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { ConfigError, ErrorCodes, ManualClock, PerpsBotError } from '@perps-bot/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteEventStore } from './sqlite-event-store.js';
import { tempDir } from './test-utils.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function eventsFile(): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  return join(dir, 'events.sqlite');
}

const tick = (store: SqliteEventStore, i: number) =>
  store.appendMetric('perps_bot', { event_type: 'ws_mark_update', symbol: 'BTC-USD', i });

/**
 * What another connection sees: only committed rows (the writer's own count() would flush first), as a
 * read-only store's tail returns them (events and the ticks table merged by seq), payloads as JSON text.
 */
function committed(file: string): { seq: number; type: string; payload: string }[] {
  const reader = new SqliteEventStore({ file, readonly: true });
  try {
    return reader
      .tail(1_000_000)
      .map((e) => ({ seq: e.seq as number, type: e.type, payload: JSON.stringify(e.payload) }));
  } finally {
    reader.close();
  }
}

describe('SqliteEventStore: tick group commit', () => {
  it('kill -9 loses at most the ticks of the unfilled batch (< maxRows); the order event and every tick before it survive', async () => {
    const file = eventsFile();
    const tsx = createRequire(import.meta.url).resolve('tsx');
    const child = spawn(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        tsx,
        join(import.meta.dirname, '__fixtures__', 'tick-writer.ts'),
        file,
        '64',
        '500',
        '1000',
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = once(child, 'exit');
    const [line] = (await Promise.race([
      once(createInterface({ input: child.stdout }), 'line'),
      exited.then(([code]) => Promise.reject(new Error(`the writer exited with ${String(code)} before it was ready`))),
    ])) as [string];
    expect(line).toBe('ready 1500 pending 40');
    child.kill('SIGKILL');
    const [code, signal] = (await exited) as [number | null, string | null];
    expect([code, signal]).toEqual([null, 'SIGKILL']);

    const rows = committed(file);
    const ticks = rows.filter((r) => r.type === 'metric').map((r) => (JSON.parse(r.payload) as { i: number }).i);
    // (The long timeout is for starting a TypeScript child on a loaded machine; nothing here depends on timing.)
    // 500 ticks were committed by the order event (it flushes them first); of the next 1,000, 15 full batches of
    // 64 (960) were committed and 40 were pending: exactly those are lost, fewer than maxRows.
    expect(ticks).toHaveLength(1460);
    expect(ticks).toEqual(Array.from({ length: 1460 }, (_, i) => i));
    const order = rows.findIndex((r) => r.type === 'order_submitted');
    expect(order).toBe(500);
    expect(rows.map((r) => r.seq)).toEqual([...rows.map((r) => r.seq)].sort((a, b) => a - b));
  }, 120_000);

  it('refuses a tick batch it cannot run with a ConfigError naming the setting', () => {
    for (const [tickBatch, setting] of [
      [{ maxRows: 0, flushMs: 10 }, 'tickBatch.maxRows'],
      [{ maxRows: 10, flushMs: 0 }, 'tickBatch.flushMs'],
    ] as const) {
      expect(() => new SqliteEventStore({ file: eventsFile(), tickBatch })).toThrow(
        expect.objectContaining({ name: 'ConfigError', setting }),
      );
      expect(() => new SqliteEventStore({ file: eventsFile(), tickBatch })).toThrow(ConfigError);
    }
  });

  it('commits a partial batch after flushMs without another append', () => {
    vi.useFakeTimers();
    const file = eventsFile();
    const store = new SqliteEventStore({ file, tickBatch: { maxRows: 100, flushMs: 10 } });
    for (let i = 0; i < 3; i++) tick(store, i);
    expect(committed(file)).toHaveLength(0);
    vi.advanceTimersByTime(10);
    expect(committed(file)).toHaveLength(3);
    store.close();
  });

  it('keeps append order: a non-tick event commits the pending ticks before itself and is durable when it returns', () => {
    const file = eventsFile();
    const store = new SqliteEventStore({ file, tickBatch: { maxRows: 100, flushMs: 3_600_000 } });
    tick(store, 0);
    tick(store, 1);
    store.appendEvent('decision', 'perps_bot', { symbol: 'BTC-USD' });
    tick(store, 2);
    expect(committed(file).map((r) => r.type)).toEqual(['metric', 'metric', 'decision']);
    store.close();
    expect(committed(file).map((r) => [r.type, r.payload.includes('"i":2')])).toEqual([
      ['metric', false],
      ['metric', false],
      ['decision', false],
      ['metric', true],
    ]);
  });

  it('a failed group flush is told to onWriteError and thrown by the next append, never dropped silently', () => {
    vi.useFakeTimers();
    const file = eventsFile();
    const errors: Error[] = [];
    const store = new SqliteEventStore({
      file,
      tickBatch: { maxRows: 100, flushMs: 10 },
      onWriteError: (e) => errors.push(e),
    });
    store.appendEvent('startup', 'perps_bot', {});
    // Another connection makes every tick insert fail, as a full disk or an I/O error would.
    const saboteur = new Database(file);
    saboteur.exec(
      `CREATE TRIGGER fail_ticks BEFORE INSERT ON tick_batches BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END;`,
    );
    tick(store, 0);
    tick(store, 1);
    vi.advanceTimersByTime(10);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(PerpsBotError);
    expect((errors[0] as PerpsBotError).code).toBe(ErrorCodes.STORE);
    expect(errors[0]?.message).toMatch(/Cannot commit 2 tick events .* \(they are lost\): disk I\/O error \(test\)/);
    expect(() => store.appendEvent('order_submitted', 'perps_bot', {})).toThrow(/Cannot commit 2 tick events/);
    saboteur.exec('DROP TRIGGER fail_ticks');
    saboteur.close();
    // Reported once; the store goes on.
    store.appendEvent('order_submitted', 'perps_bot', {});
    expect(committed(file).map((r) => r.type)).toEqual(['startup', 'order_submitted']);
    store.close();
  });

  it('a full batch that fails to commit throws from the append that filled it', () => {
    const file = eventsFile();
    const store = new SqliteEventStore({ file, tickBatch: { maxRows: 2, flushMs: 3_600_000 } });
    const saboteur = new Database(file);
    saboteur.exec(
      `CREATE TRIGGER fail_ticks BEFORE INSERT ON tick_batches BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END;`,
    );
    saboteur.close();
    tick(store, 0);
    expect(() => tick(store, 1)).toThrow(/Cannot commit 2 tick events/);
    store.close();
  });
});

describe('SqliteEventStore: tick retention', () => {
  it('keeps the newest maxRows ticks and every other event', () => {
    const file = eventsFile();
    const clock = new ManualClock('2026-03-01T12:00:00.000Z');
    const store = new SqliteEventStore({
      file,
      clock,
      tickBatch: { maxRows: 50, flushMs: 10 },
      tickRetention: { maxRows: 100 },
    });
    for (let i = 0; i < 500; i++) {
      if (i % 100 === 0) store.appendEvent('order_submitted', 'perps_bot', { i });
      tick(store, i);
      clock.advance(10);
    }
    // Retention runs after a flush at most once a second: a second later, the next flush trims to exactly 100.
    clock.advance(1_000);
    tick(store, 500);
    store.flush();
    const rows = committed(file);
    const ticks = rows.filter((r) => r.type === 'metric').map((r) => (JSON.parse(r.payload) as { i: number }).i);
    expect(ticks).toEqual(Array.from({ length: 100 }, (_, k) => 401 + k));
    expect(rows.filter((r) => r.type === 'order_submitted')).toHaveLength(5);
    store.close();
  });

  it('keeps exactly maxRows when the boundary falls inside a committed batch (its oldest ticks are cut off)', () => {
    const file = eventsFile();
    const clock = new ManualClock('2026-03-01T12:00:00.000Z');
    const store = new SqliteEventStore({
      file,
      clock,
      tickBatch: { maxRows: 64, flushMs: 10 },
      tickRetention: { maxRows: 100 },
    });
    for (let i = 0; i < 300; i++) {
      tick(store, i);
      clock.advance(7);
    }
    clock.advance(1_000);
    tick(store, 300);
    store.flush();
    const kept = committed(file);
    expect(kept.map((r) => (JSON.parse(r.payload) as { i: number }).i)).toEqual(
      Array.from({ length: 100 }, (_, k) => 201 + k),
    );
    // Seqs and times of the ticks kept are those they were appended with.
    const reader = new SqliteEventStore({ file, readonly: true });
    expect(reader.get(202)).toMatchObject({
      seq: 202,
      time: new Date(Date.parse('2026-03-01T12:00:00.000Z') + 201 * 7).toISOString(),
    });
    expect(reader.get(201)).toBeUndefined();
    expect(reader.count()).toBe(100);
    reader.close();
    store.close();
  });

  it('deletes ticks older than maxAgeSeconds', () => {
    const file = eventsFile();
    const clock = new ManualClock('2026-03-01T12:00:00.000Z');
    const store = new SqliteEventStore({
      file,
      clock,
      tickBatch: { maxRows: 10, flushMs: 10 },
      tickRetention: { maxAgeSeconds: 60 },
    });
    for (let i = 0; i < 300; i++) {
      tick(store, i);
      clock.advance(1_000);
    }
    store.flush();
    const ticks = committed(file).filter((r) => r.type === 'metric');
    // The last prune ran at the last full batch (after tick 299, at 12:05:00): ticks older than 12:04:00 are gone.
    expect(ticks.length).toBeLessThanOrEqual(61);
    expect(ticks.length).toBeGreaterThanOrEqual(60);
    store.close();
  });
});

describe('SqliteEventStore: the tick_batches table', () => {
  it('packs a batch of ticks into one row and gives back the same events; any other tick shape keeps its whole payload', () => {
    const file = eventsFile();
    const store = new SqliteEventStore({ file, clock: new ManualClock('2026-03-01T12:00:00.000Z') });
    store.appendMetric('perps_bot', { event_type: 'ws_mark_update', symbol: 'BTC-PERP-INTX', mark: '50000.5' });
    store.appendMetric('perps_bot', { event_type: 'ws_mark_update', symbol: 'ETH-PERP-INTX', mark: '3000', extra: 1 });
    store.appendEvent('decision', 'perps_bot', { symbol: 'BTC-PERP-INTX' });
    store.appendMetric('perps_bot', { event_type: 'ws_mark_update', symbol: 'BTC-PERP-INTX', mark: 50001 });
    const time = '2026-03-01T12:00:00.000Z';
    const expected = [
      {
        seq: 1,
        type: 'metric',
        botId: 'perps_bot',
        time,
        payload: { event_type: 'ws_mark_update', symbol: 'BTC-PERP-INTX', mark: '50000.5' },
      },
      {
        seq: 2,
        type: 'metric',
        botId: 'perps_bot',
        time,
        payload: { event_type: 'ws_mark_update', symbol: 'ETH-PERP-INTX', mark: '3000', extra: 1 },
      },
      { seq: 3, type: 'decision', botId: 'perps_bot', time, payload: { symbol: 'BTC-PERP-INTX' } },
      {
        seq: 4,
        type: 'metric',
        botId: 'perps_bot',
        time,
        payload: { event_type: 'ws_mark_update', symbol: 'BTC-PERP-INTX', mark: 50001 },
      },
    ];
    expect(store.tail(10)).toEqual(expected);
    expect(store.tail(2)).toEqual(expected.slice(2));
    expect(store.count()).toBe(4);
    store.close();
    const db = new Database(file, { readonly: true });
    // Ticks live in their own table, one row per committed batch (the decision committed the first two);
    // the usual tick is its symbol and mark, any other shape its whole payload.
    expect(db.prepare('SELECT * FROM tick_batches ORDER BY first_seq').all()).toEqual([
      {
        first_seq: 1,
        last_seq: 2,
        bot_id: 'perps_bot',
        first_time: time,
        last_time: time,
        ticks: JSON.stringify([0, 'BTC-PERP-INTX', '50000.5', 0, null, expected[1]?.payload]),
      },
      {
        first_seq: 4,
        last_seq: 4,
        bot_id: 'perps_bot',
        first_time: time,
        last_time: time,
        ticks: JSON.stringify([0, null, expected[3]?.payload]),
      },
    ]);
    expect(db.prepare('SELECT seq, type FROM events').all()).toEqual([{ seq: 3, type: 'decision' }]);
    db.close();
  });

  it('moves the tick rows of a store written before any ticks table into batches, seq and payload unchanged', () => {
    const file = eventsFile();
    const old = new Database(file);
    old.exec(`
      CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, bot_id TEXT NOT NULL,
        time TEXT NOT NULL, payload TEXT NOT NULL, tick INTEGER NOT NULL DEFAULT 0);
      CREATE INDEX events_type ON events(type);
      CREATE INDEX events_tick_seq ON events(seq) WHERE tick = 1;
      INSERT INTO events (type, bot_id, time, payload, tick) VALUES
        ('metric', 'perps_bot', '2026-03-01T12:00:00.000Z', '{"event_type":"ws_mark_update","symbol":"BTC-USD","mark":"1"}', 1),
        ('decision', 'perps_bot', '2026-03-01T12:00:01.000Z', '{"symbol":"BTC-USD"}', 0),
        ('metric', 'perps_bot', '2026-03-01T12:00:02.000Z', '{"event_type":"ws_mark_update","symbol":"BTC-USD","mark":"2"}', 1);
    `);
    old.close();
    const before = new SqliteEventStore({ file, readonly: true });
    const events = before.tail(10);
    before.close();
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    const store = new SqliteEventStore({ file, clock: new ManualClock('2026-03-01T12:00:03.000Z') });
    expect(store.tail(10)).toEqual(events);
    // The shared sequence goes on after the newest row of either table.
    store.appendMetric('perps_bot', { event_type: 'ws_mark_update', symbol: 'BTC-USD', mark: '3' });
    store.appendEvent('decision', 'perps_bot', {});
    expect(store.tail(10).map((e) => [e.seq, e.type])).toEqual([
      [1, 'metric'],
      [2, 'decision'],
      [3, 'metric'],
      [4, 'metric'],
      [5, 'decision'],
    ]);
    store.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT first_seq, last_seq FROM tick_batches ORDER BY first_seq').all()).toEqual([
      { first_seq: 1, last_seq: 1 },
      { first_seq: 3, last_seq: 3 },
      { first_seq: 4, last_seq: 4 },
    ]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name IN ('events_tick_seq', 'ticks')").all()).toEqual([]);
    db.close();
  });

  it('moves a ticks table of one row per tick (the layout before tick_batches) into batches; read-only opens read it as it is', () => {
    const file = eventsFile();
    const old = new Database(file);
    old.exec(`
      CREATE TABLE events (seq INTEGER PRIMARY KEY AUTOINCREMENT, type TEXT NOT NULL, bot_id TEXT NOT NULL,
        time TEXT NOT NULL, payload TEXT NOT NULL);
      CREATE INDEX events_type ON events(type);
      CREATE TABLE ticks (seq INTEGER PRIMARY KEY, bot_id TEXT NOT NULL, time TEXT NOT NULL, symbol TEXT, mark TEXT,
        payload TEXT);
      INSERT INTO ticks VALUES
        (1, 'perps_bot', '2026-03-01T12:00:00.000Z', 'BTC-USD', '1', NULL),
        (2, 'perps_bot', '2026-03-01T12:00:00.250Z', NULL, NULL, '{"event_type":"ws_mark_update","symbol":"BTC-USD","mark":2}'),
        (4, 'perps_bot', '2026-03-01T12:00:01.000Z', 'BTC-USD', '3', NULL),
        (5, 'other_bot', '2026-03-01T12:00:02.000Z', 'ETH-USD', '4', NULL);
      INSERT INTO events (seq, type, bot_id, time, payload) VALUES (3, 'decision', 'perps_bot', '2026-03-01T12:00:00.500Z', '{}');
    `);
    old.close();
    const reader = new SqliteEventStore({ file, readonly: true });
    const events = reader.tail(10);
    expect(reader.count()).toBe(5);
    expect(reader.get(2)?.payload).toEqual({ event_type: 'ws_mark_update', symbol: 'BTC-USD', mark: 2 });
    expect(reader.ofType('metric', 1).map((e) => e.seq)).toEqual([2, 4, 5]);
    reader.close();
    expect(events.map((e) => [e.seq, e.type, e.botId, e.time])).toEqual([
      [1, 'metric', 'perps_bot', '2026-03-01T12:00:00.000Z'],
      [2, 'metric', 'perps_bot', '2026-03-01T12:00:00.250Z'],
      [3, 'decision', 'perps_bot', '2026-03-01T12:00:00.500Z'],
      [4, 'metric', 'perps_bot', '2026-03-01T12:00:01.000Z'],
      [5, 'metric', 'other_bot', '2026-03-01T12:00:02.000Z'],
    ]);
    const store = new SqliteEventStore({ file, clock: new ManualClock('2026-03-01T12:00:03.000Z') });
    expect(store.tail(10)).toEqual(events);
    store.appendMetric('perps_bot', { event_type: 'ws_mark_update', symbol: 'BTC-USD', mark: '5' });
    expect(store.tail(1).map((e) => e.seq)).toEqual([6]);
    store.close();
    const db = new Database(file, { readonly: true });
    // Consecutive seqs of one bot share a batch: the decision (3) and the other bot (5) start new ones.
    expect(db.prepare('SELECT first_seq, last_seq, bot_id FROM tick_batches ORDER BY first_seq').all()).toEqual([
      { first_seq: 1, last_seq: 2, bot_id: 'perps_bot' },
      { first_seq: 4, last_seq: 4, bot_id: 'perps_bot' },
      { first_seq: 5, last_seq: 5, bot_id: 'other_bot' },
      { first_seq: 6, last_seq: 6, bot_id: 'perps_bot' },
    ]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'ticks'").all()).toEqual([]);
    db.close();
  });

  it('retention counts the ticks already in the file when it opens', () => {
    const file = eventsFile();
    const clock = new ManualClock('2026-03-01T12:00:00.000Z');
    const first = new SqliteEventStore({ file, clock });
    for (let i = 0; i < 150; i++) tick(first, i);
    first.close();
    const store = new SqliteEventStore({ file, clock, tickRetention: { maxRows: 100 } });
    clock.advance(2_000);
    tick(store, 150);
    store.flush();
    const ticks = committed(file).map((r) => (JSON.parse(r.payload) as { i: number }).i);
    expect(ticks).toEqual(Array.from({ length: 100 }, (_, k) => 51 + k));
    store.close();
  });
});
