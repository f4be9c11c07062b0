import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal, type Order } from '@perps-bot/core';

/** A fresh temporary directory and its cleanup. */
export function tempDir(prefix = 'perps-stores-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function makeOrder(overrides: Partial<Order> = {}): Order {
  const at = new Date('2026-03-02T10:00:00.000Z');
  return {
    id: 'ord-1',
    clientId: 'pb-client-1',
    symbol: 'BTC-PERP',
    side: 'BUY',
    type: 'MARKET',
    quantity: new Decimal('0.20000000'),
    price: null,
    stopPrice: null,
    tif: 'IOC',
    status: 'SUBMITTED',
    filledQuantity: new Decimal(0),
    avgFillPrice: null,
    reduceOnly: false,
    submittedAt: at,
    updatedAt: at,
    ...overrides,
  };
}
