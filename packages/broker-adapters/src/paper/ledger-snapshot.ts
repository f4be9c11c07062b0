import { Decimal, ErrorCodes, PerpsBotError, type Fill, type Order, type OrderSide } from '@perps-bot/core';
import type { PaperHolding } from './ledger.js';

/** One fill as the ledger keeps it: the fill plus the P&L it realized (what a day's P&L is summed from). */
export interface PaperJournalEntry {
  readonly fill: Fill;
  readonly realized: Decimal;
}

/**
 * A paper account as plain JSON (decimals as exact strings): what a dry run writes to its ledger file and reads
 * back at the next start, so positions, cash, fills and orders survive a restart.
 */
export interface PaperLedgerSnapshot {
  readonly version: 1;
  readonly settlementAsset: string;
  readonly cash: string;
  readonly seq: number;
  readonly holdings: Record<string, { quantity: string; entry: string; realized: string }>;
  readonly contractSizes: Record<string, string>;
  readonly journal: ReadonlyArray<{
    id: string;
    orderId: string;
    symbol: string;
    side: OrderSide;
    price: string;
    quantity: string;
    fee: string;
    realized: string;
    ts: string;
  }>;
  readonly orders: ReadonlyArray<Record<string, string | boolean | null>>;
}

interface PaperLedgerState {
  readonly cash: Decimal;
  readonly seq: number;
  readonly holdings: Map<string, PaperHolding>;
  readonly contractSizes: Map<string, Decimal>;
  readonly journal: PaperJournalEntry[];
  readonly orders: Order[];
}

/** The journal and orders kept in a snapshot: enough for a day's P&L and recent orders, bounded in size. */
export const SNAPSHOT_JOURNAL_LIMIT = 1000;
const SNAPSHOT_ORDER_LIMIT = 200;

const str = (d: Decimal | null): string | null => (d === null ? null : d.toFixed());

export function toSnapshot(asset: string, state: PaperLedgerState): PaperLedgerSnapshot {
  const holdings: PaperLedgerSnapshot['holdings'] = {};
  for (const [symbol, h] of state.holdings)
    holdings[symbol] = { quantity: h.quantity.toFixed(), entry: h.entry.toFixed(), realized: h.realized.toFixed() };
  const contractSizes: Record<string, string> = {};
  for (const [symbol, size] of state.contractSizes) contractSizes[symbol] = size.toFixed();
  return {
    version: 1,
    settlementAsset: asset,
    cash: state.cash.toFixed(),
    seq: state.seq,
    holdings,
    contractSizes,
    journal: state.journal.slice(-SNAPSHOT_JOURNAL_LIMIT).map(({ fill, realized }) => ({
      id: fill.id,
      orderId: fill.orderId,
      symbol: fill.symbol,
      side: fill.side,
      price: fill.price.toFixed(),
      quantity: fill.quantity.toFixed(),
      fee: fill.fee.toFixed(),
      realized: realized.toFixed(),
      ts: fill.ts.toISOString(),
    })),
    orders: state.orders.slice(-SNAPSHOT_ORDER_LIMIT).map((o) => ({
      id: o.id,
      clientId: o.clientId,
      symbol: o.symbol,
      side: o.side,
      type: o.type,
      quantity: o.quantity.toFixed(),
      price: str(o.price),
      stopPrice: str(o.stopPrice),
      tif: o.tif,
      status: o.status,
      filledQuantity: o.filledQuantity.toFixed(),
      avgFillPrice: str(o.avgFillPrice),
      reduceOnly: o.reduceOnly,
      submittedAt: o.submittedAt.toISOString(),
      updatedAt: o.updatedAt.toISOString(),
    })),
  };
}

/** Reads a snapshot back; anything malformed is a typed error naming what is wrong, never a silent reset. */
export function fromSnapshot(snapshot: PaperLedgerSnapshot): PaperLedgerState {
  try {
    if (snapshot.version !== 1) throw new Error(`unknown version ${String(snapshot.version)}`);
    const dec = (v: unknown, what: string): Decimal => {
      const parsed =
        typeof v === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(v.trim()) ? new Decimal(v) : undefined;
      if (!parsed) throw new Error(`${what} is not a decimal string (${JSON.stringify(v)})`);
      return parsed;
    };
    const decOrNull = (v: unknown, what: string) => (v === null || v === undefined ? null : dec(v, what));
    const holdings = new Map<string, PaperHolding>();
    for (const [symbol, h] of Object.entries(snapshot.holdings ?? {})) {
      holdings.set(symbol, {
        quantity: dec(h.quantity, `${symbol} quantity`),
        entry: dec(h.entry, `${symbol} entry`),
        realized: dec(h.realized, `${symbol} realized`),
      });
    }
    const contractSizes = new Map<string, Decimal>();
    for (const [symbol, size] of Object.entries(snapshot.contractSizes ?? {}))
      contractSizes.set(symbol, dec(size, `${symbol} contract size`));
    const journal = (snapshot.journal ?? []).map((j) => ({
      fill: {
        id: j.id,
        orderId: j.orderId,
        symbol: j.symbol,
        side: j.side,
        price: dec(j.price, 'fill price'),
        quantity: dec(j.quantity, 'fill quantity'),
        fee: dec(j.fee, 'fill fee'),
        ts: new Date(j.ts),
      },
      realized: dec(j.realized, 'fill realized'),
    }));
    const orders = (snapshot.orders ?? []).map((o): Order => ({
      id: String(o.id),
      clientId: (o.clientId as string | null) ?? null,
      symbol: String(o.symbol),
      side: o.side as Order['side'],
      type: o.type as Order['type'],
      quantity: dec(o.quantity, 'order quantity'),
      price: decOrNull(o.price, 'order price'),
      stopPrice: decOrNull(o.stopPrice, 'order stop price'),
      tif: o.tif as Order['tif'],
      status: o.status as Order['status'],
      filledQuantity: dec(o.filledQuantity, 'order filled quantity'),
      avgFillPrice: decOrNull(o.avgFillPrice, 'order average fill price'),
      reduceOnly: Boolean(o.reduceOnly),
      submittedAt: new Date(String(o.submittedAt)),
      updatedAt: new Date(String(o.updatedAt)),
    }));
    if (!Number.isInteger(snapshot.seq) || snapshot.seq < 0) throw new Error('seq is not a non-negative integer');
    return { cash: dec(snapshot.cash, 'cash'), seq: snapshot.seq, holdings, contractSizes, journal, orders };
  } catch (error) {
    throw new PerpsBotError(
      ErrorCodes.CONFIG_INVALID,
      `The paper ledger cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      {
        cause: error,
      },
    );
  }
}
