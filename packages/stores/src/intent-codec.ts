import { Decimal, decimalToString, type IntentState, type OrderIntent } from '@perps-bot/core';

/** An order intent as stored in orders.sqlite (table `order_intents`): decimals as exact strings. */
export interface IntentRow {
  client_id: string;
  symbol: string;
  side: string;
  quantity: string;
  reduce_only: number;
  state: string;
  order_id: string | null;
  last_error: string | null;
  attempts: number;
  created_at: string;
  updated_at: string;
}

export const INTENT_COLUMNS = [
  'client_id',
  'symbol',
  'side',
  'quantity',
  'reduce_only',
  'state',
  'order_id',
  'last_error',
  'attempts',
  'created_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof IntentRow>;

export const INTENTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS order_intents (
  client_id TEXT PRIMARY KEY,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL,
  quantity TEXT NOT NULL,
  reduce_only INTEGER NOT NULL,
  state TEXT NOT NULL,
  order_id TEXT,
  last_error TEXT,
  attempts INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS order_intents_state ON order_intents(state);
`;

/** States whose outcome still has to be looked up at the exchange. */
export const UNRESOLVED_STATES: readonly IntentState[] = ['pending', 'unknown'];

export function intentToRow(intent: OrderIntent): IntentRow {
  return {
    client_id: intent.clientId,
    symbol: intent.symbol,
    side: intent.side,
    quantity: decimalToString(intent.quantity),
    reduce_only: intent.reduceOnly ? 1 : 0,
    state: intent.state,
    order_id: intent.orderId,
    last_error: intent.lastError,
    attempts: intent.attempts,
    created_at: intent.createdAt.toISOString(),
    updated_at: intent.updatedAt.toISOString(),
  };
}

export function rowToIntent(row: IntentRow): OrderIntent {
  return {
    clientId: row.client_id,
    symbol: row.symbol,
    side: row.side as OrderIntent['side'],
    quantity: new Decimal(row.quantity),
    reduceOnly: row.reduce_only === 1,
    state: row.state as IntentState,
    orderId: row.order_id,
    lastError: row.last_error,
    attempts: row.attempts,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
