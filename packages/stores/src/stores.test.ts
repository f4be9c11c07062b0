import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  Decimal,
  ManualClock,
  MemoryEventStore,
  PerpsBotError,
  type EventStore,
  type OrdersStore,
} from '@perps-bot/core';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryOrdersStore } from './memory-stores.js';
import { SqliteEventStore } from './sqlite-event-store.js';
import { SqliteOrdersStore } from './sqlite-orders-store.js';
import { makeOrder, tempDir } from './test-utils.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function sqliteFile(name: string): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  return join(dir, 'nested', name);
}

const eventStores: Array<[string, (clock: ManualClock) => EventStore]> = [
  ['memory', (clock) => new MemoryEventStore({ clock, jsonRoundTrip: true })],
  ['sqlite', (clock) => new SqliteEventStore({ file: sqliteFile('events.sqlite'), clock })],
];

describe.each(eventStores)('%s event store', (_name, create) => {
  it('appends events and metrics in order, stamped by the clock, and counts them', () => {
    const clock = new ManualClock('2026-03-02T10:00:00.000Z');
    const store = create(clock);
    expect(store.count()).toBe(0);
    store.appendEvent('startup', 'perps_bot', { profile: 'dev' });
    clock.advance(1500);
    store.appendMetric('perps_bot', { event_type: 'ws_mark_update', symbol: 'BTC-PERP', mark: '50000.1' });
    store.appendEvent('cycle_metrics', 'perps_bot', { cycle: 1, mark: new Decimal('0.10000') });
    expect(store.count()).toBe(3);
    expect(store.tail()).toEqual([
      { seq: 1, type: 'startup', botId: 'perps_bot', time: '2026-03-02T10:00:00.000Z', payload: { profile: 'dev' } },
      {
        seq: 2,
        type: 'metric',
        botId: 'perps_bot',
        time: '2026-03-02T10:00:01.500Z',
        payload: { event_type: 'ws_mark_update', symbol: 'BTC-PERP', mark: '50000.1' },
      },
      // A Decimal serialises as its exact string, never as a float.
      {
        seq: 3,
        type: 'cycle_metrics',
        botId: 'perps_bot',
        time: '2026-03-02T10:00:01.500Z',
        payload: { cycle: 1, mark: '0.1' },
      },
    ]);
    expect(store.tail(2).map((e) => e.seq)).toEqual([2, 3]);
    store.close();
  });

  it('refuses appends once closed, with a STORE error', () => {
    const store = create(new ManualClock());
    store.close();
    expect(() => store.appendEvent('late', 'perps_bot', {})).toThrow(PerpsBotError);
  });
});

const ordersStores: Array<[string, () => OrdersStore]> = [
  ['memory', () => new MemoryOrdersStore()],
  ['sqlite', () => new SqliteOrdersStore({ file: sqliteFile('orders.sqlite') })],
];

describe.each(ordersStores)('%s orders store', (_name, create) => {
  it('round-trips an order exactly, decimals included', () => {
    const store = create();
    const order = makeOrder({
      quantity: new Decimal('0.123456789012345678'),
      avgFillPrice: new Decimal('50000.000000000000001'),
      price: new Decimal('49999.99'),
      reduceOnly: true,
    });
    store.upsert(order);
    const back = store.get(order.id);
    expect(back?.quantity.toFixed()).toBe('0.123456789012345678');
    expect(back?.avgFillPrice?.toFixed()).toBe('50000.000000000000001');
    expect(back).toEqual(order);
    expect(store.get('missing')).toBeNull();
    store.close();
  });

  it('upsert is idempotent: the same id twice is one row holding the latest state', () => {
    const store = create();
    const submitted = makeOrder();
    store.upsert(submitted);
    store.upsert(submitted);
    expect(store.count()).toBe(1);
    const filled = makeOrder({
      status: 'FILLED',
      filledQuantity: new Decimal('0.2'),
      avgFillPrice: new Decimal('50001'),
    });
    store.upsert(filled);
    expect(store.count()).toBe(1);
    expect(store.get('ord-1')?.status).toBe('FILLED');
    expect(store.get('ord-1')?.avgFillPrice?.toFixed()).toBe('50001');
    store.close();
  });

  it('lists newest first and honours the limit', () => {
    const store = create();
    const at = (m: number) => new Date(Date.UTC(2026, 2, 2, 10, m));
    store.upsert(makeOrder({ id: 'a', submittedAt: at(1) }));
    store.upsert(makeOrder({ id: 'c', submittedAt: at(3) }));
    store.upsert(makeOrder({ id: 'b', submittedAt: at(2) }));
    expect(store.list().map((o) => o.id)).toEqual(['c', 'b', 'a']);
    expect(store.list(2).map((o) => o.id)).toEqual(['c', 'b']);
    store.close();
  });
});

describe('SQLite durability', () => {
  it('keeps every event across close and reopen, and the sequence continues', () => {
    const file = sqliteFile('events.sqlite');
    const first = new SqliteEventStore({ file });
    for (let i = 0; i < 5; i++) first.appendEvent('tick', 'perps_bot', { i });
    first.close();
    const reopened = new SqliteEventStore({ file });
    expect(reopened.count()).toBe(5);
    reopened.appendEvent('tick', 'perps_bot', { i: 5 });
    expect(reopened.tail(10).map((e) => [e.seq, e.payload.i])).toEqual([0, 1, 2, 3, 4, 5].map((i) => [i + 1, i]));
    reopened.close();
  });

  it('reads the events of one type in order, after a sequence number, and one event by its number', () => {
    const file = sqliteFile('events.sqlite');
    const store = new SqliteEventStore({ file });
    for (let i = 0; i < 6; i++) store.appendEvent(i % 2 === 0 ? 'experiment_result' : 'decision', 'perps_bot', { i });
    store.close();
    const reader = new SqliteEventStore({ file, readonly: true });
    expect(reader.ofType('experiment_result').map((e) => [e.seq, e.payload.i])).toEqual([
      [1, 0],
      [3, 2],
      [5, 4],
    ]);
    expect(reader.ofType('experiment_result', 3).map((e) => e.seq)).toEqual([5]);
    expect(reader.get(4)).toMatchObject({ seq: 4, type: 'decision', payload: { i: 3 } });
    expect(reader.get(99)).toBeUndefined();
    reader.close();
  });

  it('reads stream ticks (kept in their own table) by type and by number, in order with other metrics', () => {
    const file = sqliteFile('events.sqlite');
    const store = new SqliteEventStore({ file });
    store.appendMetric('perps_bot', { event_type: 'cycle', n: 1 });
    store.appendMetric('perps_bot', { event_type: 'ws_mark_update', symbol: 'BTC-PERP', mark: '50000' });
    store.appendEvent('decision', 'perps_bot', { i: 0 });
    store.appendMetric('perps_bot', { event_type: 'ws_mark_update', symbol: 'ETH-PERP', mark: '3000' });
    store.close();
    const reader = new SqliteEventStore({ file, readonly: true });
    expect(reader.ofType('metric').map((e) => [e.seq, e.payload.event_type])).toEqual([
      [1, 'cycle'],
      [2, 'ws_mark_update'],
      [4, 'ws_mark_update'],
    ]);
    expect(reader.ofType('metric', 2).map((e) => e.seq)).toEqual([4]);
    expect(reader.get(4)).toMatchObject({ seq: 4, type: 'metric', payload: { symbol: 'ETH-PERP', mark: '3000' } });
    reader.close();
  });

  it('makes an append visible to another connection as soon as it returns (it is committed)', () => {
    const file = sqliteFile('events.sqlite');
    const writer = new SqliteEventStore({ file });
    writer.appendEvent('startup', 'perps_bot', {});
    const reader = new SqliteEventStore({ file, readonly: true });
    expect(reader.count()).toBe(1);
    writer.appendEvent('cycle_metrics', 'perps_bot', { cycle: 1 });
    expect(reader.count()).toBe(2);
    expect(() => reader.appendEvent('x', 'perps_bot', {})).toThrow(/read-only/);
    reader.close();
    writer.close();
  });

  it('checkpoints the WAL on close, leaving one self-contained file', () => {
    const file = sqliteFile('orders.sqlite');
    const store = new SqliteOrdersStore({ file });
    store.upsert(makeOrder());
    expect(existsSync(`${file}-wal`)).toBe(true);
    store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    const reopened = new SqliteOrdersStore({ file, readonly: true });
    expect(reopened.count()).toBe(1);
    reopened.close();
  });

  it('names the file when it cannot open it', () => {
    expect(() => new SqliteEventStore({ file: '/nonexistent-dir/x/events.sqlite', readonly: true })).toThrow(
      /Cannot open the SQLite store at \/nonexistent-dir\/x\/events.sqlite/,
    );
  });
});
