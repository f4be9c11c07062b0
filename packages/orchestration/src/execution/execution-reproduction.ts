import {
  decimalToString,
  OrderOutcomeUnknownError,
  PerpsBotError,
  type Order,
  type RiskDecision,
  type TimeInForce,
} from '@perps-bot/core';
import type { ExecutionRequest } from '../cycle/order-executor.js';
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
}

/**
 * One execution as a characterization `execution` scenario (without name and description): the one symbol, its
 * decision, mark, product, the account (cash so that the cycle computes the same equity, and the positions),
 * the pre-trade verdict, the reduce-only state and the broker's answers to the control's orders.
 */
export function executionReproduction(inputs: ExecutionInputs): ExperimentReproduction {
  const { request: r } = inputs;
  const held = r.positions.find((p) => p.symbol === r.symbol && !p.quantity.isZero());
  const size = r.product.contractSize.isZero() ? 1 : r.product.contractSize;
  // The cycle trades against cash + this position's value (symbolEquity); give the cash that yields `equity`.
  const cash = held ? r.equity.minus(held.quantity.abs().times(r.mark).times(size)) : r.equity;
  const d = r.decision;
  const verdict = inputs.verdict;
  return {
    kind: 'execution',
    scenario: {
      symbols: [r.symbol],
      marks: { [r.symbol]: [decimalToString(r.mark)] },
      decisions: {
        [r.symbol]: [
          {
            action: d.action,
            reason: d.reason || 'imported',
            ...(d.targetNotional === undefined ? {} : { targetNotional: decimalToString(d.targetNotional) }),
            ...(d.reduceOnly === undefined ? {} : { reduceOnly: d.reduceOnly }),
            ...(d.timeInForce === undefined ? {} : { timeInForce: d.timeInForce }),
          },
        ],
      },
      cycles: 1,
      stepMs: 1000,
      dryRun: inputs.dryRun,
      reduceOnlyMode: inputs.reduceOnlyMode,
      timeInForce: inputs.timeInForce,
      balances: [{ balances: [{ asset: 'USD', available: decimalToString(cash) }] }],
      positions: [
        {
          positions: r.positions.map((p) => ({
            symbol: p.symbol,
            quantity: decimalToString(p.quantity),
            entryPrice: decimalToString(p.entryPrice),
          })),
        },
      ],
      products: {
        [r.symbol]: {
          minSize: decimalToString(r.product.minSize),
          stepSize: decimalToString(r.product.stepSize),
          minNotional: r.product.minNotional === null ? null : decimalToString(r.product.minNotional),
          contractSize: decimalToString(r.product.contractSize),
        },
      },
      placeOrder: inputs.placeAnswers.length > 0 ? [...inputs.placeAnswers] : [{ type: 'filled' }],
      getOrder: [{ type: 'echo' }],
      lookups: [{ type: 'absent' }],
      closePosition: inputs.hasClose,
      preTrade: verdict && !verdict.allowed ? [{ symbol: r.symbol, code: verdict.code, reason: verdict.reason }] : [],
      cycleRisk: inputs.reduceOnlyNow && !inputs.reduceOnlyMode ? { reduceOnlySymbols: [r.symbol] } : {},
      ordersStoreFails: [...inputs.ordersStoreFails].sort(),
      eventStoreFails: false,
    },
  };
}
