import { join } from 'node:path';
import { Decimal, type OrderIntent, type OrdersStore } from '@perps-bot/core';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryOrdersStore } from './memory-stores.js';
import { SqliteOrdersStore } from './sqlite-orders-store.js';
import { makeOrder, tempDir } from './test-utils.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function sqliteFile(): string {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  return join(dir, 'orders.sqlite');
}

const intent = (clientId: string, overrides: Partial<OrderIntent> = {}): OrderIntent => ({
  clientId,
  symbol: 'BIP-20DEC30-CDE',
  side: 'BUY',
  quantity: new Decimal('0.10'),
  reduceOnly: false,
  state: 'pending',
  orderId: null,
  lastError: null,
  attempts: 0,
  createdAt: new Date('2026-03-02T10:00:00.000Z'),
  updatedAt: new Date('2026-03-02T10:00:00.000Z'),
  ...overrides,
});

const stores: Array<[string, () => OrdersStore]> = [
  ['memory', () => new MemoryOrdersStore()],
  ['sqlite', () => new SqliteOrdersStore({ file: sqliteFile() })],
];

describe.each(stores)('%s orders store: intents', (_name, create) => {
  it('keeps pending and unknown intents as unresolved, oldest first, until they are placed or failed', () => {
    const store = create();
    store.recordIntent(intent('b', { createdAt: new Date('2026-03-02T10:00:02.000Z') }));
    store.recordIntent(intent('a', { createdAt: new Date('2026-03-02T10:00:01.000Z') }));
    store.recordIntent(intent('c', { createdAt: new Date('2026-03-02T10:00:03.000Z') }));
    const later = new Date('2026-03-02T10:00:09.000Z');
    store.updateIntent('b', { state: 'unknown', lastError: 'timeout', updatedAt: later });
    store.updateIntent('c', { state: 'placed', orderId: 'ex-1', updatedAt: later });
    expect(store.unresolvedIntents().map((i) => [i.clientId, i.state])).toEqual([
      ['a', 'pending'],
      ['b', 'unknown'],
    ]);
    expect(store.getIntent('b')).toMatchObject({ lastError: 'timeout', attempts: 0, updatedAt: later });
    expect(store.getIntent('c')?.orderId).toBe('ex-1');
    expect(store.getIntent('a')?.quantity.toFixed()).toBe('0.1');
  });

  it('refuses to update an intent it never recorded', () => {
    expect(() => create().updateIntent('nope', { state: 'failed', updatedAt: new Date() })).toThrow(/nope/);
  });

  it('lists orders not yet final, oldest first', () => {
    const store = create();
    store.upsert(makeOrder({ id: 'o1', status: 'FILLED' }));
    store.upsert(makeOrder({ id: 'o2', status: 'SUBMITTED', submittedAt: new Date('2026-03-02T10:00:05.000Z') }));
    store.upsert(makeOrder({ id: 'o3', status: 'PENDING', submittedAt: new Date('2026-03-02T10:00:01.000Z') }));
    expect(store.openOrders().map((o) => o.id)).toEqual(['o3', 'o2']);
  });
});

describe('sqlite orders store: intents are durable', () => {
  it('an intent recorded before a crash is unresolved after the store is reopened', () => {
    const file = sqliteFile();
    const first = new SqliteOrdersStore({ file });
    first.recordIntent(intent('pb-1'));
    // No close(): the process "dies" here; the write was committed with synchronous=FULL.
    const second = new SqliteOrdersStore({ file });
    expect(second.unresolvedIntents().map((i) => i.clientId)).toEqual(['pb-1']);
    first.close();
    second.close();
  });
});

describe('memory orders store: failing writes', () => {
  it('throws a STORE error on every write while failWrites is set', () => {
    const store = new MemoryOrdersStore();
    store.failWrites = new Error('ENOSPC');
    expect(() => store.recordIntent(intent('x'))).toThrow(/ENOSPC/);
  });
});
