import {
  Decimal,
  maxDecimal,
  ZERO,
  type PreTradeRequest,
  type RiskDecision,
  type RiskRejectCode,
} from '@perps-bot/core';
import { leverageCaps, maintenanceMarginRate } from './leverage-caps.js';
import { bufferBelowMinimum, bufferPct } from './liquidation.js';
import { isReducingOrder, netQuantity, otherExposure, signedOrderQuantity } from './positions.js';
import type { RiskConfig } from './risk-config.js';

/** The risk manager's state a pre-trade decision depends on, captured at one instant. */
export interface PreTradeState {
  readonly config: RiskConfig;
  readonly now: Date;
  readonly killSwitch: boolean;
  readonly reduceOnly: boolean;
  /** Why reduce-only is on ("daily_loss_limit" turns a block into DAILY_LOSS). */
  readonly reduceOnlyReason: string | null;
  /** Whether the order's symbol carries its own reduce-only flag (set by a liquidation-buffer breach). */
  readonly symbolReduceOnly: boolean;
  /** Age of the symbol's last mark; undefined for a symbol never marked, which counts as fresh. */
  readonly markAgeMs: number | undefined;
}

const ALLOWED: RiskDecision = Object.freeze({ allowed: true });

const reject = (code: RiskRejectCode, reason: string): RiskDecision => ({ allowed: false, code, reason });

const num = (value: Decimal): string => value.toDecimalPlaces(4).toFixed();
const pct = (value: Decimal): string => `${value.times(100).toDecimalPlaces(2).toFixed()}%`;
const isPositiveFinite = (value: Decimal): boolean => value.isFinite() && value.greaterThan(0);

/** The reason reduce-only mode uses when the daily loss limit switched it on. */
export const DAILY_LOSS_REASON = 'daily_loss_limit';

/**
 * Judges one order against the limits, in the reference's order: kill switch, (stale mark, which the reference's
 * execution checked), reduce-only, leverage, liquidation buffer, exposure, projected liquidation buffer.
 *
 * Two deliberate choices, both stricter where the reference could be bypassed and looser only where risk falls:
 * - The notional a cap judges is the larger of the order's notional and the symbol's notional after the fill, so
 *   splitting an increase into small orders cannot walk past a per-symbol cap (the reference judged each order
 *   alone).
 * - An order that strictly reduces an existing position skips the leverage, buffer and exposure caps: it lowers
 *   every one of them, and refusing it would trap the account in the very position a breach wants closed. The
 *   kill switch and a stale mark still stop it.
 *
 * Pure: no events, no logs; LiveRiskManager records those.
 */
export function evaluatePreTrade(request: PreTradeRequest, state: PreTradeState): RiskDecision {
  const { symbol, product, equity, price, quantity } = request;
  const { config } = state;

  if (state.killSwitch)
    return reject('KILL_SWITCH', `Kill switch enabled - all trading halted (order for ${symbol} refused)`);

  if (!isPositiveFinite(quantity))
    return reject('INVALID_ORDER', `${symbol}: order quantity must be positive, got ${quantity.toFixed()}`);
  if (!isPositiveFinite(price))
    return reject('INVALID_ORDER', `${symbol}: order price must be positive, got ${price.toFixed()}`);
  if (!equity.isFinite())
    return reject('INVALID_ORDER', `${symbol}: equity must be a finite number, got ${equity.toFixed()}`);
  if (!isPositiveFinite(product.contractSize)) {
    return reject(
      'INVALID_ORDER',
      `${symbol}: product contract size must be positive, got ${product.contractSize.toFixed()}`,
    );
  }

  const haltMs = config.maxMarkStalenessSeconds * 2 * 1000;
  if (state.markAgeMs !== undefined && state.markAgeMs > haltMs) {
    return reject(
      'STALE_MARK',
      `${symbol}: mark is ${state.markAgeMs / 1000}s old, over the ${haltMs / 1000}s halt limit ` +
        `(2 × maxMarkStalenessSeconds ${config.maxMarkStalenessSeconds}) - new orders halted`,
    );
  }

  const current = netQuantity(request.positions, symbol);
  if (isReducingOrder(current, request.side, quantity)) return ALLOWED;

  if (state.reduceOnly) {
    if (state.reduceOnlyReason === DAILY_LOSS_REASON) {
      return reject('DAILY_LOSS', `Daily loss limit breached (reduce-only) - cannot increase position for ${symbol}`);
    }
    return reject(
      'REDUCE_ONLY',
      `Reduce-only mode active (${state.reduceOnlyReason ?? 'unspecified'}) - cannot increase position for ${symbol}`,
    );
  }
  if (state.symbolReduceOnly) {
    return reject(
      'REDUCE_ONLY',
      `${symbol} is reduce-only after a liquidation buffer breach - cannot increase position`,
    );
  }

  if (!equity.greaterThan(0)) {
    return reject(
      'INSUFFICIENT_EQUITY',
      `${symbol}: equity is ${equity.toFixed()}; no new exposure can be sized against it`,
    );
  }

  const unit = price.times(product.contractSize);
  const orderNotional = quantity.times(unit);
  const afterFill = current.plus(signedOrderQuantity(request.side, quantity)).abs().times(unit);
  const notional = maxDecimal(orderNotional, afterFill);
  const isPerp = product.marketType !== 'SPOT';
  const context = `notional ${num(notional)}, equity ${num(equity)}`;

  if (isPerp) {
    const caps = leverageCaps(symbol, config, state.now, product.leverageMax);
    const lev = notional.dividedBy(equity);
    if (notional.greaterThan(caps.symbolCap.times(equity))) {
      return reject(
        'LEVERAGE',
        `${symbol}: leverage ${num(lev)}x exceeds the ${symbol} cap of ${num(caps.symbolCap)}x (${context})`,
      );
    }
    if (notional.greaterThan(config.maxLeverage.times(equity))) {
      return reject(
        'LEVERAGE',
        `${symbol}: leverage ${num(lev)}x exceeds the global cap of ${num(config.maxLeverage)}x (${context})`,
      );
    }
    const cap = caps.effectiveCap;
    if (bufferBelowMinimum(notional, equity, cap, config.minLiquidationBufferPct)) {
      const buffer = bufferPct(notional, equity, cap) ?? ZERO;
      return reject(
        'LIQUIDATION_BUFFER',
        `${symbol}: liquidation buffer ${pct(buffer)} is below the required ${pct(config.minLiquidationBufferPct)} ` +
          `(margin needed ${num(notional.dividedBy(cap))} at ${num(cap)}x, equity ${num(equity)})`,
      );
    }
  }

  const notionalCap = config.maxNotionalPerSymbol[symbol];
  if (notionalCap !== undefined && notional.greaterThan(notionalCap)) {
    return reject(
      'POSITION_SIZE',
      `${symbol}: notional ${num(notional)} exceeds the ${symbol} cap of ${num(notionalCap)}`,
    );
  }
  if (notional.greaterThan(config.maxPositionPctPerSymbol.times(equity))) {
    return reject(
      'POSITION_SIZE',
      `${symbol}: exposure ${pct(notional.dividedBy(equity))} of equity exceeds the per-symbol cap of ` +
        `${pct(config.maxPositionPctPerSymbol)} (${context})`,
    );
  }
  const total = notional.plus(otherExposure(request.positions, symbol, request.contractSizes));
  if (total.greaterThan(config.maxExposurePct.times(equity))) {
    return reject(
      'EXPOSURE',
      `${symbol}: total exposure ${pct(total.dividedBy(equity))} of equity would exceed the cap of ` +
        `${pct(config.maxExposurePct)} (total notional ${num(total)}, this order's symbol ${num(notional)}, equity ${num(equity)})`,
    );
  }

  if (isPerp && config.enablePreTradeLiqProjection) {
    const mmr = maintenanceMarginRate(symbol, config, state.now);
    const maintenance = mmr.times(notional);
    if (equity.minus(maintenance).lessThan(config.minLiquidationBufferPct.times(equity))) {
      const projected = Decimal.max(0, equity.minus(maintenance).dividedBy(equity));
      return reject(
        'LIQUIDATION_BUFFER',
        `${symbol}: projected liquidation buffer ${pct(projected)} is below the required ` +
          `${pct(config.minLiquidationBufferPct)} (maintenance margin ${num(maintenance)} at MMR ${num(mmr)}, equity ${num(equity)})`,
      );
    }
  }

  return ALLOWED;
}
