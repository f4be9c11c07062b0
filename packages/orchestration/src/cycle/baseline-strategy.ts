import { ConfigError, Decimal, ZERO } from '@perps-bot/core';
import { hold, type Decision, type PositionState, type Strategy, type StrategyInput } from './decision.js';

export interface BaselineStrategyConfig {
  readonly shortMa: number;
  readonly longMa: number;
  readonly targetLeverage: number;
  /** Fraction of the best price since entry a position may give back before it is closed (0.01 = 1%). */
  readonly trailingStopPct: number;
  readonly enableShorts: boolean;
  /** Dead band around zero for the MA difference, in basis points of the long MA (the reference's ε, 0). */
  readonly epsilonBps?: number;
  /** Fraction of equity one entry commits before leverage (the reference's 0.05, PERPS_POSITION_FRACTION). */
  readonly positionFraction?: number;
  /** Reduce-only mode: close or hold, never open. */
  readonly reduceOnly?: boolean;
}

function mean(values: readonly Decimal[]): Decimal {
  return values.reduce((sum, v) => sum.plus(v), ZERO).div(values.length);
}

/**
 * The reference's baseline perps strategy (perps_baseline.py): an event-based moving-average crossover. A
 * signal fires only on the cycle the short MA crosses the long MA, not while it stays above; open positions
 * are closed on the opposite signal or by a trailing stop that follows the best price since entry.
 */
export class BaselineStrategy implements Strategy {
  readonly config: BaselineStrategyConfig;
  /** Best price seen since entry, per symbol (highest for a long, lowest for a short). */
  readonly #extremes = new Map<string, Decimal>();

  constructor(config: BaselineStrategyConfig) {
    if (!(config.shortMa >= 1 && config.longMa >= 1))
      throw new ConfigError(
        'shortMa/longMa',
        `Moving-average lengths must be at least 1 (got ${config.shortMa}/${config.longMa})`,
      );
    this.config = config;
  }

  decide(input: StrategyInput): Decision {
    const { symbol, current, position } = input;
    if (position) {
      const stop = this.#trailingStop(symbol, position, current);
      if (stop) return stop;
    } else {
      this.#extremes.delete(symbol);
    }

    const marks = [...input.recent, current];
    const needed = this.config.longMa + 1;
    if (marks.length < needed) return hold(`Insufficient data: ${marks.length} of ${needed} marks`);

    const signal = this.#crossover(marks);
    if (position) {
      if ((position.side === 'long' && signal === 'bearish') || (position.side === 'short' && signal === 'bullish')) {
        return {
          action: 'CLOSE',
          reason: `${signal} crossover against the ${position.side} position`,
          reduceOnly: true,
        };
      }
      return hold(`Holding ${position.side}: no opposite crossover`);
    }
    if (signal === 'neutral') return hold('No crossover');
    if (this.config.reduceOnly) return hold(`${signal} crossover ignored: reduce-only mode`);
    if (signal === 'bearish' && !this.config.enableShorts)
      return hold('Bearish crossover ignored: shorts are disabled');
    return {
      action: signal === 'bullish' ? 'BUY' : 'SELL',
      reason: `${signal} MA crossover (short ${this.config.shortMa}, long ${this.config.longMa})`,
      targetNotional: this.#entryNotional(input),
    };
  }

  #crossover(marks: readonly Decimal[]): 'bullish' | 'bearish' | 'neutral' {
    const { shortMa, longMa } = this.config;
    const previous = marks.slice(0, -1);
    const diffNow = mean(marks.slice(-shortMa)).minus(mean(marks.slice(-longMa)));
    const longNow = mean(marks.slice(-longMa));
    const diffPrev = mean(previous.slice(-shortMa)).minus(mean(previous.slice(-longMa)));
    const epsilon = longNow.times(this.config.epsilonBps ?? 0).div(10_000);
    if (diffPrev.lessThanOrEqualTo(epsilon) && diffNow.greaterThan(epsilon)) return 'bullish';
    if (diffPrev.greaterThanOrEqualTo(epsilon.negated()) && diffNow.lessThan(epsilon.negated())) return 'bearish';
    return 'neutral';
  }

  #trailingStop(symbol: string, position: PositionState, current: Decimal): Decision | undefined {
    const pct = new Decimal(this.config.trailingStopPct);
    const seen = this.#extremes.get(symbol) ?? position.entryPrice;
    if (position.side === 'long') {
      const peak = Decimal.max(seen, current);
      this.#extremes.set(symbol, peak);
      const stop = peak.times(Decimal.sub(1, pct));
      if (current.lessThanOrEqualTo(stop))
        return { action: 'CLOSE', reason: `Trailing stop: ${current.toFixed()} ≤ ${stop.toFixed()}`, reduceOnly: true };
    } else {
      const trough = Decimal.min(seen, current);
      this.#extremes.set(symbol, trough);
      const stop = trough.times(Decimal.add(1, pct));
      if (current.greaterThanOrEqualTo(stop))
        return { action: 'CLOSE', reason: `Trailing stop: ${current.toFixed()} ≥ ${stop.toFixed()}`, reduceOnly: true };
    }
    return undefined;
  }

  #entryNotional(input: StrategyInput): Decimal {
    const base = input.equity.times(this.config.positionFraction ?? 0.05);
    const leveraged = input.product.marketType === 'PERPETUAL' || input.product.marketType === 'FUTURE';
    return leveraged ? base.times(this.config.targetLeverage) : base;
  }
}
