import type { IntentUpdate, Order, OrderIntent, OrdersStore } from '@perps-bot/core';
import type Database from 'better-sqlite3';
import { INTENT_COLUMNS, INTENTS_SCHEMA, intentToRow, rowToIntent, type IntentRow } from './intent-codec.js';
import { orderToRow, rowToOrder, type OrderRow } from './order-codec.js';
import { closeDatabase, openDatabase, probeWrite, storeError } from './sqlite-database.js';

export interface SqliteOrdersStoreOptions {
  readonly file: string;
  readonly readonly?: boolean;
  /** A ceiling on the file's size in SQLite pages; tests use it to fill the disk for real. */
  readonly maxPageCount?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS orders (
  id TEXT PRIMARY KEY,
  client_id TEXT,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL,
  type TEXT NOT NULL,
  quantity TEXT NOT NULL,
  price TEXT,
  stop_price TEXT,
  tif TEXT NOT NULL,
  status TEXT NOT NULL,
  filled_quantity TEXT NOT NULL,
  avg_fill_price TEXT,
  reduce_only INTEGER NOT NULL,
  submitted_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_client_id ON orders(client_id);
CREATE INDEX IF NOT EXISTS orders_submitted ON orders(submitted_at);
`;

const COLUMNS = [
  'id',
  'client_id',
  'symbol',
  'side',
  'type',
  'quantity',
  'price',
  'stop_price',
  'tif',
  'status',
  'filled_quantity',
  'avg_fill_price',
  'reduce_only',
  'submitted_at',
  'updated_at',
] as const satisfies ReadonlyArray<keyof OrderRow>;

/**
 * Orders by exchange id, decimals stored as exact strings (TEXT, never REAL). `upsert` is idempotent: the
 * same order written twice is one row holding its latest state. synchronous=FULL for the same reason as the
 * event store: an order the exchange accepted must not vanish from our books.
 */
export class SqliteOrdersStore implements OrdersStore {
  readonly file: string;
  readonly #db: Database.Database;
  readonly #upsert: Database.Statement<[OrderRow]> | undefined;
  readonly #readonly: boolean;

  constructor(options: SqliteOrdersStoreOptions) {
    this.file = options.file;
    this.#readonly = options.readonly ?? false;
    this.#db = openDatabase({
      file: options.file,
      synchronous: 'FULL',
      readonly: options.readonly ?? false,
      maxPageCount: options.maxPageCount,
    });
    if (!options.readonly) {
      this.#db.exec(SCHEMA);
      this.#db.exec(INTENTS_SCHEMA);
      const updates = COLUMNS.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`);
      this.#upsert = this.#db.prepare(
        `INSERT INTO orders (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})
         ON CONFLICT(id) DO UPDATE SET ${updates.join(', ')}`,
      );
    }
  }

  upsert(order: Order): void {
    if (!this.#upsert)
      throw storeError(`Cannot store order ${order.id}`, new Error(`the orders store ${this.file} is read-only`));
    try {
      this.#upsert.run(orderToRow(order));
    } catch (error) {
      throw storeError(`Cannot store order ${order.id} (${order.symbol}) in ${this.file}`, error);
    }
  }

  get(orderId: string): Order | null {
    const row = this.#db.prepare(`SELECT ${COLUMNS.join(', ')} FROM orders WHERE id = ?`).get(orderId) as
      OrderRow | undefined;
    return row ? rowToOrder(row) : null;
  }

  /** Newest first. */
  list(limit = 100): Order[] {
    const rows = this.#db
      .prepare(`SELECT ${COLUMNS.join(', ')} FROM orders ORDER BY submitted_at DESC, id DESC LIMIT ?`)
      .all(limit) as OrderRow[];
    return rows.map(rowToOrder);
  }

  count(): number {
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM orders').get() as { n: number }).n;
  }

  /** Can this store write now? Throws as a write would; writes nothing (StorageHealthMonitor's probe). */
  probeWrite(): void {
    probeWrite(this.#db);
  }

  openOrders(): Order[] {
    const rows = this.#db
      .prepare(
        `SELECT ${COLUMNS.join(', ')} FROM orders WHERE status IN ('PENDING', 'SUBMITTED', 'PARTIALLY_FILLED') ORDER BY submitted_at, id`,
      )
      .all() as OrderRow[];
    return rows.map(rowToOrder);
  }

  /** synchronous=FULL: once this returns, the intent survives a crash of the process or the machine. */
  recordIntent(intent: OrderIntent): void {
    this.#writable(`Cannot record the order intent ${intent.clientId}`);
    try {
      this.#db
        .prepare(
          `INSERT INTO order_intents (${INTENT_COLUMNS.join(', ')}) VALUES (${INTENT_COLUMNS.map((c) => `@${c}`).join(', ')})`,
        )
        .run(intentToRow(intent));
    } catch (error) {
      throw storeError(`Cannot record the order intent ${intent.clientId} (${intent.symbol}) in ${this.file}`, error);
    }
  }

  updateIntent(clientId: string, update: IntentUpdate): void {
    this.#writable(`Cannot update the order intent ${clientId}`);
    const known = this.getIntent(clientId);
    if (!known)
      throw storeError(`Cannot update the order intent ${clientId}`, new Error(`no such intent in ${this.file}`));
    try {
      const row = intentToRow({ ...known, ...update });
      this.#db
        .prepare(
          'UPDATE order_intents SET state = @state, order_id = @order_id, last_error = @last_error, attempts = @attempts, updated_at = @updated_at WHERE client_id = @client_id',
        )
        .run(row);
    } catch (error) {
      throw storeError(`Cannot update the order intent ${clientId} in ${this.file}`, error);
    }
  }

  getIntent(clientId: string): OrderIntent | null {
    const row = this.#db
      .prepare(`SELECT ${INTENT_COLUMNS.join(', ')} FROM order_intents WHERE client_id = ?`)
      .get(clientId) as IntentRow | undefined;
    return row ? rowToIntent(row) : null;
  }

  unresolvedIntents(): OrderIntent[] {
    const rows = this.#db
      .prepare(
        `SELECT ${INTENT_COLUMNS.join(', ')} FROM order_intents WHERE state IN ('pending', 'unknown') ORDER BY created_at, client_id`,
      )
      .all() as IntentRow[];
    return rows.map(rowToIntent);
  }

  #writable(what: string): void {
    if (this.#readonly) throw storeError(what, new Error(`the orders store ${this.file} is read-only`));
  }

  get closed(): boolean {
    return !this.#db.open;
  }

  close(): void {
    closeDatabase(this.#db);
  }
}
