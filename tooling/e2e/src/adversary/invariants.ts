import { Decimal, type Order, type StoredEvent } from '@perps-bot/core';
import type { SimLedgerView } from '@perps-bot/exchange-sim';

/** Everything a run leaves behind: the exchange's books and the bot's, read after the run. */
export interface Observation {
  /** The symbols the bot was configured with: nothing may be recorded for another. */
  readonly symbols: readonly string[];
  readonly reduceOnly: boolean;
  /** The bound per symbol: its notional cap plus one entry (USD). */
  readonly notionalBound: Decimal;
  readonly ledger: SimLedgerView;
  /** orders.sqlite at the end. */
  readonly orders: readonly Order[];
  /** events.sqlite at the end, oldest first. */
  readonly events: readonly StoredEvent[];
  /** Every health.json read while the bot ran. */
  readonly health: readonly unknown[];
  readonly exits: readonly ProcessExit[];
  /** Exit codes the bot may end with by itself (0, and the documented code for storage it cannot write). */
  readonly allowedExitCodes: readonly number[];
}

export interface ProcessExit {
  readonly code: number | null;
  readonly signal: string | null;
  /** We sent SIGKILL (a crash on purpose) or SIGTERM (the end of the run). */
  readonly sentByUs: 'SIGKILL' | 'SIGTERM' | undefined;
  readonly stderrTail: string;
}

export interface Violation {
  readonly invariant:
    'notional-cap' | 'reduce-only' | 'books-agree' | 'no-false-failure' | 'sane-values' | 'clean-exit';
  readonly detail: string;
}

/** The bot's client order ids start with this (the executor's default): the exchange holds nothing else of ours. */
const BOT_CLIENT_ID_PREFIX = 'pb-';

export function checkInvariants(o: Observation): Violation[] {
  return [...positionInvariants(o), ...booksAgree(o), ...noFalseFailure(o), ...saneValues(o), ...cleanExits(o)];
}

/**
 * Replays the exchange's fills in sequence (a seeded position's included): after each fill of the bot's own
 * orders, |notional| stays under the bound, and in reduce-only |position| has not grown.
 */
function positionInvariants(o: Observation): Violation[] {
  const violations: Violation[] = [];
  const qty = new Map<string, Decimal>();
  const botOrders = new Set(
    o.ledger.orders.filter((r) => r.clientOrderId.startsWith(BOT_CLIENT_ID_PREFIX)).map((r) => r.orderId),
  );
  const contractSize = new Map(o.ledger.positions.map((p) => [p.productId, new Decimal(p.contractSize)]));
  const reported = new Set<string>();
  for (const fill of [...o.ledger.fills].sort((a, b) => a.sequence - b.sequence)) {
    const before = qty.get(fill.productId) ?? new Decimal(0);
    const size = new Decimal(fill.size);
    const after = fill.side === 'BUY' ? before.plus(size) : before.minus(size);
    qty.set(fill.productId, after);
    if (!botOrders.has(fill.orderId)) continue;
    const notional = after
      .abs()
      .mul(fill.price)
      .mul(contractSize.get(fill.productId) ?? 1);
    if (notional.greaterThan(o.notionalBound) && !reported.has(`cap ${fill.productId}`)) {
      reported.add(`cap ${fill.productId}`);
      violations.push({
        invariant: 'notional-cap',
        detail: `${fill.productId}: position ${after.toFixed()} is $${notional.toFixed(2)} notional after order ${fill.orderId}, above the bound $${o.notionalBound.toFixed(2)}`,
      });
    }
    if (o.reduceOnly && after.abs().greaterThan(before.abs()) && !reported.has(`ro ${fill.productId}`)) {
      reported.add(`ro ${fill.productId}`);
      violations.push({
        invariant: 'reduce-only',
        detail: `${fill.productId}: |position| grew from ${before.toFixed()} to ${after.toFixed()} (order ${fill.orderId}) in reduce-only`,
      });
    }
  }
  return violations;
}

const STATUS_OF_SIM: Readonly<Record<string, readonly string[]>> = {
  FILLED: ['FILLED'],
  OPEN: ['SUBMITTED', 'PENDING', 'PARTIALLY_FILLED'],
  CANCELLED: ['CANCELLED'],
  EXPIRED: ['CANCELLED'],
};

/** Every order of the bot's on the exchange is in orders.sqlite, by its client order id, with its true status. */
function booksAgree(o: Observation): Violation[] {
  const stored = new Map<string, Order>();
  for (const order of o.orders) if (order.clientId) stored.set(order.clientId, order);
  const violations: Violation[] = [];
  for (const remote of o.ledger.orders) {
    if (!remote.clientOrderId.startsWith(BOT_CLIENT_ID_PREFIX)) continue;
    const local = stored.get(remote.clientOrderId);
    if (!local) {
      violations.push({
        invariant: 'books-agree',
        detail: `order ${remote.clientOrderId} (${remote.side} ${remote.size} ${remote.productId}) is ${remote.status} on the exchange and missing from orders.sqlite`,
      });
      continue;
    }
    const expected = STATUS_OF_SIM[remote.status] ?? [remote.status];
    if (!expected.includes(local.status)) {
      violations.push({
        invariant: 'books-agree',
        detail: `order ${remote.clientOrderId} is ${remote.status} on the exchange but ${local.status} in orders.sqlite`,
      });
    }
  }
  return violations;
}

/** No order the exchange filled is recorded as failed, in the event store or in the orders store. */
function noFalseFailure(o: Observation): Violation[] {
  const filled = new Set(o.ledger.orders.filter((r) => r.status === 'FILLED').map((r) => r.clientOrderId));
  const violations: Violation[] = [];
  for (const event of o.events) {
    const clientId = event.payload.clientId;
    if (event.type === 'order_failed' && typeof clientId === 'string' && filled.has(clientId)) {
      violations.push({
        invariant: 'no-false-failure',
        detail: `event #${event.seq} order_failed for ${clientId}, which the exchange filled (${String(event.payload.error)})`,
      });
    }
  }
  for (const order of o.orders) {
    if (order.clientId && filled.has(order.clientId) && order.status === 'REJECTED') {
      violations.push({
        invariant: 'no-false-failure',
        detail: `orders.sqlite holds ${order.clientId} as REJECTED; the exchange filled it`,
      });
    }
  }
  return violations;
}

const PRICE_KEYS = new Set(['mark', 'price', 'markPrice', 'mark_price', 'last', 'bid', 'ask', 'mid']);

/**
 * No non-finite or non-positive mark or price in any event or health file; no mark outside a plausibility
 * band around the symbol's median mark (a one-sided or crossed book's "mid" is finite and positive, and
 * wrong); nothing recorded for a symbol the bot was not configured with.
 */
function saneValues(o: Observation): Violation[] {
  const violations: Violation[] = [];
  const configured = new Set(o.symbols);
  const marks = new Map<string, Decimal[]>();
  const seen: { where: string; symbol: string; value: Decimal }[] = [];
  const check = (where: string, symbol: string | undefined, key: string, value: unknown) => {
    if (value === null || value === undefined) return;
    if (!isSanePrice(value)) {
      violations.push({ invariant: 'sane-values', detail: `${where}: ${key} = ${JSON.stringify(value)}` });
      return;
    }
    if (key === 'mark' && symbol !== undefined) {
      const d = new Decimal(value as string | number);
      marks.set(symbol, [...(marks.get(symbol) ?? []), d]);
      seen.push({ where, symbol, value: d });
    }
  };
  for (const event of o.events) {
    const symbol = typeof event.payload.symbol === 'string' ? event.payload.symbol : undefined;
    const where = `event #${event.seq} ${event.type}${symbol ? ` ${symbol}` : ''}`;
    if (symbol !== undefined && !configured.has(symbol))
      violations.push({
        invariant: 'sane-values',
        detail: `${where}: recorded for a symbol the bot did not subscribe to`,
      });
    walk(event.payload, (key, value) => PRICE_KEYS.has(key) && check(where, symbol, key, value));
  }
  o.health.forEach((snapshot, i) => {
    const symbols = (snapshot as { symbols?: Record<string, { mark?: unknown }> } | null)?.symbols ?? {};
    for (const [symbol, s] of Object.entries(symbols)) {
      if (!configured.has(symbol))
        violations.push({
          invariant: 'sane-values',
          detail: `health.json read #${i + 1}: a symbol the bot was not configured with: ${symbol}`,
        });
      check(`health.json read #${i + 1} ${symbol}`, symbol, 'mark', s.mark);
    }
  });
  const medians = new Map([...marks].map(([symbol, list]) => [symbol, median(list)]));
  for (const { where, symbol, value } of seen) {
    const m = medians.get(symbol);
    if (m && (value.lessThan(m.mul(PLAUSIBLE_LOW)) || value.greaterThan(m.mul(PLAUSIBLE_HIGH)))) {
      violations.push({
        invariant: 'sane-values',
        detail: `${where}: mark ${value.toFixed()} is implausible against the median ${m.toFixed()}`,
      });
    }
  }
  return violations.slice(0, 20);
}

/**
 * A run lasts under a minute and the simulator's walk moves well under 1 % in that time: a mark under 0.6× or
 * above 1.67× its symbol's median is a bad value that got through, not a market move.
 */
const PLAUSIBLE_LOW = new Decimal('0.6');
const PLAUSIBLE_HIGH = new Decimal('1.67');

function median(values: readonly Decimal[]): Decimal {
  const sorted = [...values].sort((a, b) => a.comparedTo(b));
  return sorted[Math.floor(sorted.length / 2)] as Decimal;
}

/** The bot ends only when told to, or by itself with a documented code; never by a crash. */
function cleanExits(o: Observation): Violation[] {
  const violations: Violation[] = [];
  for (const exit of o.exits) {
    if (exit.sentByUs === 'SIGKILL') continue;
    const ok =
      exit.signal === null && exit.code !== null && (exit.code === 0 || o.allowedExitCodes.includes(exit.code));
    if (!ok)
      violations.push({
        invariant: 'clean-exit',
        detail: `exit code=${String(exit.code)} signal=${String(exit.signal)}${exit.sentByUs ? ` after ${exit.sentByUs}` : ''}: ${exit.stderrTail.slice(-600)}`,
      });
  }
  return violations;
}

export function isSanePrice(value: unknown): boolean {
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  if (typeof value === 'number' && !Number.isFinite(value)) return false;
  if (typeof value === 'string' && !/^\d+(\.\d+)?$/.test(value.trim())) return false;
  try {
    const d = new Decimal(value);
    // 1e15 USD is no price any product of this bot's has; a value above it is an overflow that parsed.
    return d.isFinite() && d.greaterThan(0) && d.lessThan('1e15');
  } catch {
    return false;
  }
}

function walk(value: unknown, visit: (key: string, value: unknown) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) walk(v, visit);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    visit(key, inner);
    walk(inner, visit);
  }
}
