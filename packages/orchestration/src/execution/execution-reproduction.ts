import {
  Decimal,
  decimalToString,
  describeError,
  OrderOutcomeUnknownError,
  PerpsBotError,
  type Order,
  type Position,
  type Product,
  type RiskDecision,
  type TimeInForce,
} from '@perps-bot/core';
import type { ExecutionRequest } from '../cycle/order-executor.js';
import { heldIn } from '../cycle/position-book.js';
import type { ExperimentReproduction } from '../experiments/experiment-record.js';

/** One answer the real broker gave the control's placeOrder/closePosition, in the execution scenario's words. */
export type PlaceAnswer =
  | { readonly type: 'filled' | 'open' | 'exchange-rejected' }
  | { readonly type: 'rejected' | 'timeout' | 'lost'; readonly message: string };

export function describePlaceAnswer(settled: { ok: true; order: Order } | { ok: false; error: unknown }): PlaceAnswer {
  if (settled.ok) {
    const status = settled.order.status;
    return { type: status === 'FILLED' ? 'filled' : status === 'REJECTED' ? 'exchange-rejected' : 'open' };
  }
  const e = settled.error;
  const message = e instanceof Error && e.message ? e.message : String(e);
  if (e instanceof OrderOutcomeUnknownError) return { type: 'lost', message };
  if (e instanceof PerpsBotError) return { type: 'rejected', message };
  return { type: 'timeout', message };
}

interface ExecutionInputs {
  readonly request: ExecutionRequest;
  readonly verdict: RiskDecision | undefined;
  readonly reduceOnlyNow: boolean;
  readonly placeAnswers: readonly PlaceAnswer[];
  readonly hasClose: boolean;
  readonly dryRun: boolean;
  readonly reduceOnlyMode: boolean;
  readonly timeInForce: TimeInForce;
  /** Orders-store writes that threw for the control. */
  readonly ordersStoreFails: readonly ('recordIntent' | 'upsert' | 'updateIntent')[];
  /** What the control found on taking the executor's lock (absent when it never took it). */
  readonly atLock?: { readonly blocked: boolean; readonly settled: boolean } | undefined;
  /** The control's positions read inside the lock (a reducing order), or that read's failure. */
  readonly read?: { ok: true; positions: readonly Position[] } | { ok: false; error: unknown } | undefined;
  /** The control's client order id: `pb-<uuid>` (the executor's own scheme) makes the scenario use that scheme. */
  readonly clientId?: string;
}

type PositionsAnswer =
  | { positions: { symbol: string; quantity: string; entryPrice: string }[]; heldForNextCycle?: true }
  | { throw: string };

const positionsAnswer = (positions: readonly Position[]): PositionsAnswer => ({
  positions: positions.map((p) => ({
    symbol: p.symbol,
    quantity: decimalToString(p.quantity),
    entryPrice: decimalToString(p.entryPrice),
  })),
});

/**
 * The earlier order that left the symbol blocked or unsettled when the control reached the executor's lock
 * (past the cycle's own checks, so it came from a cycle still running beside this one): a CLOSE in an extra
 * first cycle whose positions read inside the lock is held until this cycle waits at the lock, as the two
 * overlapped. Lost, it leaves an order of unknown outcome (blocked); filled, a fill the control's read did not
 * show yet (unsettled: that read still shows the size the close was sized against, so it closes that size).
 * Undefined when the lock found the symbol as the cycle did, or when no such close can be scripted.
 */
function earlierOverlappingClose(
  inputs: ExecutionInputs,
): { positions: PositionsAnswer; answer: PlaceAnswer } | undefined {
  const { request: r, atLock, read } = inputs;
  if (!atLock) return undefined;
  if (atLock.blocked) {
    const held = heldIn(r.positions, r.symbol);
    const positions = held.isZero()
      ? [...r.positions.filter((p) => p.symbol !== r.symbol), smallestPosition(r.symbol, r.product, r.mark)]
      : r.positions;
    return {
      positions: positionsAnswer(positions),
      answer: { type: 'lost', message: 'the earlier order’s answer was lost' },
    };
  }
  // Unsettled after the read means that read still showed the earlier order's starting size: a close of it.
  if (!atLock.settled && read?.ok && !heldIn(read.positions, r.symbol).isZero())
    return { positions: positionsAnswer(read.positions), answer: { type: 'filled' } };
  return undefined;
}

/** A position of the product's smallest orderable size (a CLOSE needs one to send anything). */
function smallestPosition(symbol: string, product: Product, mark: Decimal): Position {
  const step = product.stepSize;
  const least = Decimal.max(product.minSize, step);
  const quantity = least.isZero() ? new Decimal(1) : step.isZero() ? least : least.div(step).ceil().times(step);
  return {
    symbol,
    quantity,
    entryPrice: mark,
    markPrice: mark,
    unrealizedPnl: new Decimal(0),
    realizedPnl: new Decimal(0),
    leverage: null,
    side: 'long',
  };
}

/**
 * One execution as a characterization `execution` scenario (without name and description): the one symbol, its
 * decision, mark, product, the account (cash so that the cycle computes the same equity, and the positions
 * the cycle read, then the control's own read inside the lock), the pre-trade verdict, the reduce-only state,
 * the broker's answers to the control's orders and its client id scheme. When an earlier order still running
 * had left the symbol blocked or unsettled by the time the control took the lock, the scenario starts with one
 * more cycle that leaves it so, overlapping this one (see earlierOverlappingClose).
 */
export function executionReproduction(inputs: ExecutionInputs): ExperimentReproduction {
  const { request: r } = inputs;
  const held = r.positions.find((p) => p.symbol === r.symbol && !p.quantity.isZero());
  const size = r.product.contractSize.isZero() ? 1 : r.product.contractSize;
  // The cycle trades against cash + this position's value (symbolEquity); give the cash that yields `equity`.
  const cash = held ? r.equity.minus(held.quantity.abs().times(r.mark).times(size)) : r.equity;
  const d = r.decision;
  const verdict = inputs.verdict;
  const lockRead: PositionsAnswer[] =
    inputs.read === undefined
      ? []
      : inputs.read.ok
        ? [positionsAnswer(inputs.read.positions)]
        : [{ throw: describeError(inputs.read.error) || 'positions read failed' }];
  const cycleRead = positionsAnswer(r.positions);
  const earlier = earlierOverlappingClose(inputs);
  const decision = {
    action: d.action,
    reason: d.reason || 'imported',
    ...(d.targetNotional === undefined ? {} : { targetNotional: decimalToString(d.targetNotional) }),
    ...(d.reduceOnly === undefined ? {} : { reduceOnly: d.reduceOnly }),
    ...(d.timeInForce === undefined ? {} : { timeInForce: d.timeInForce }),
  };
  const placeAnswers = inputs.placeAnswers.length > 0 ? [...inputs.placeAnswers] : [{ type: 'filled' as const }];
  return {
    kind: 'execution',
    scenario: {
      symbols: [r.symbol],
      marks: { [r.symbol]: [decimalToString(r.mark)] },
      decisions: {
        [r.symbol]: earlier ? [{ action: 'CLOSE', reason: 'the earlier order, still running' }, decision] : [decision],
      },
      cycles: earlier ? 2 : 1,
      stepMs: 1000,
      dryRun: inputs.dryRun,
      reduceOnlyMode: inputs.reduceOnlyMode,
      timeInForce: inputs.timeInForce,
      balances: [{ balances: [{ asset: 'USD', available: decimalToString(cash) }] }],
      // Call order: the earlier cycle's read and its read inside the lock (held), this cycle's read, the lock's.
      positions: [
        ...(earlier ? [earlier.positions, { ...earlier.positions, heldForNextCycle: true as const }] : []),
        cycleRead,
        ...lockRead.filter((a) => JSON.stringify(a) !== JSON.stringify(cycleRead)),
      ],
      products: {
        [r.symbol]: {
          minSize: decimalToString(r.product.minSize),
          stepSize: decimalToString(r.product.stepSize),
          minNotional: r.product.minNotional === null ? null : decimalToString(r.product.minNotional),
          contractSize: decimalToString(r.product.contractSize),
        },
      },
      placeOrder: earlier ? [earlier.answer, ...placeAnswers] : placeAnswers,
      getOrder: [{ type: 'echo' }],
      lookups: [{ type: 'absent' }],
      closePosition: inputs.hasClose,
      preTrade: verdict && !verdict.allowed ? [{ symbol: r.symbol, code: verdict.code, reason: verdict.reason }] : [],
      cycleRisk: inputs.reduceOnlyNow && !inputs.reduceOnlyMode ? { reduceOnlySymbols: [r.symbol] } : {},
      ordersStoreFails: [...inputs.ordersStoreFails].sort(),
      eventStoreFails: false,
      ...(inputs.clientId?.startsWith('pb-') ? { defaultClientIds: true } : {}),
    },
  };
}
