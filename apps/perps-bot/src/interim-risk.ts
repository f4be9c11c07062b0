import { isPositive, ZERO, type Clock, type Decimal, type Position, type PreTradeRequest, type PreTradeRisk, type RiskDecision } from '@perps-bot/core';

/** The limits the app hands to risk, straight from the validated configuration. */
export interface RiskLimits {
  readonly maxLeverage: number;
  /** Largest position notional per symbol, quote currency. */
  readonly maxPositionSize: Decimal;
  /** Loss from the UTC day's first observed equity after which only reducing orders pass; 0 = no limit. */
  readonly dailyLossLimit: Decimal;
  readonly reduceOnlyMode: boolean;
  readonly maxMarkStalenessSeconds: number;
}

const reject = (code: Extract<RiskDecision, { allowed: false }>['code'], reason: string): RiskDecision => ({ allowed: false, code, reason });

// decimal.js counts +0 as positive (isPositive(0) is true); core's isPositive means "greater than zero".
function signed(position: Position | undefined): Decimal | undefined {
  if (!position) return undefined;
  return position.side === 'short' && isPositive(position.quantity) ? position.quantity.negated() : position.quantity;
}

/**
 * A small pre-trade check over the configured limits, in place until LiveRiskManager.preTradeCheck (the risk
 * branch) is merged and wired in risk-factory.ts. It exists so the limits the reference lost on the way
 * (daily_loss_limit never reached its risk config, §10) are enforced from the first cycle. Reducing orders
 * always pass: closing must stay possible whatever else is breached.
 */
export class ConfigLimitsRisk implements PreTradeRisk {
  readonly limits: RiskLimits;
  readonly #clock: Clock;
  #day: { date: string; startEquity: Decimal } | undefined;

  constructor(limits: RiskLimits, clock: Clock) {
    this.limits = limits;
    this.#clock = clock;
  }

  preTradeCheck(request: PreTradeRequest): RiskDecision {
    if (!isPositive(request.quantity) || !isPositive(request.price)) return reject('INVALID_ORDER', `order for ${request.symbol} has no positive size or price`);
    if (!isPositive(request.equity)) return reject('INVALID_ORDER', `no equity to trade ${request.symbol} with`);
    const current = signed(request.positions.find((p) => p.symbol === request.symbol));
    const delta = request.side === 'BUY' ? request.quantity : request.quantity.negated();
    const reducing = current !== undefined && !current.isZero() && current.isNegative() === !delta.isNegative() && request.quantity.lessThanOrEqualTo(current.abs());
    const dailyLoss = this.#dailyLoss(request.equity);
    if (reducing) return { allowed: true };

    if (this.limits.reduceOnlyMode || request.reduceOnly) return reject('REDUCE_ONLY', `reduce-only: ${request.side} ${request.quantity.toFixed()} ${request.symbol} would not reduce a position`);
    if (isPositive(this.limits.dailyLossLimit) && dailyLoss.greaterThan(this.limits.dailyLossLimit)) {
      return reject('DAILY_LOSS', `daily loss ${dailyLoss.toFixed()} exceeds the limit ${this.limits.dailyLossLimit.toFixed()}; only reducing orders pass`);
    }
    const contract = request.product.contractSize.isZero() ? 1 : request.product.contractSize;
    const projected = (current ?? ZERO).plus(delta).abs().times(request.price).times(contract);
    if (projected.greaterThan(this.limits.maxPositionSize)) {
      return reject('POSITION_SIZE', `${request.symbol} position ${projected.toFixed(2)} would exceed the maximum ${this.limits.maxPositionSize.toFixed()}`);
    }
    const derivative = request.product.marketType === 'PERPETUAL' || request.product.marketType === 'FUTURE';
    const leverage = projected.div(request.equity);
    if (derivative && leverage.greaterThan(this.limits.maxLeverage)) {
      return reject('LEVERAGE', `${request.symbol} leverage ${leverage.toFixed(2)} would exceed the maximum ${this.limits.maxLeverage}`);
    }
    return { allowed: true };
  }

  /** Loss since the first equity seen this UTC day (a gain counts as zero loss). */
  #dailyLoss(equity: Decimal): Decimal {
    const date = this.#clock.now().toISOString().slice(0, 10);
    if (this.#day?.date !== date) this.#day = { date, startEquity: equity };
    const loss = this.#day.startEquity.minus(equity);
    return loss.isNegative() ? ZERO : loss;
  }
}
