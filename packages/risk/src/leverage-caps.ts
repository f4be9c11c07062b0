import { Decimal, minDecimal } from '@perps-bot/core';
import type { RiskConfig } from './risk-config.js';

type ScheduleConfig = Pick<RiskConfig, 'daytimeStartUtc' | 'daytimeEndUtc'>;

const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
};

/**
 * Whether `now` falls in the configured UTC daytime window; undefined when no window is configured (then neither
 * day nor night overrides apply). The window is [start, end) and may span midnight ("22:00"–"06:00").
 */
export function isDaytime(config: ScheduleConfig, now: Date): boolean | undefined {
  if (config.daytimeStartUtc === null || config.daytimeEndUtc === null) return undefined;
  const start = minutesOf(config.daytimeStartUtc);
  const end = minutesOf(config.daytimeEndUtc);
  const t = now.getUTCHours() * 60 + now.getUTCMinutes();
  return start <= end ? start <= t && t < end : t >= start || t < end;
}

export interface LeverageCaps {
  /** The symbol's own cap: its per-symbol cap (else the global one), lowered by a day/night cap and the product's. */
  readonly symbolCap: Decimal;
  /** The cap an order is held to: the lower of the symbol cap and the global cap. */
  readonly effectiveCap: Decimal;
}

/**
 * The leverage caps for a symbol at an instant. The reference took the per-symbol cap, lowered it by the day or
 * night cap, then by the exchange's own limit; the global cap applies on top as a final safeguard.
 */
export function leverageCaps(
  symbol: string,
  config: RiskConfig,
  now: Date,
  productLeverageMax?: number | null,
): LeverageCaps {
  let cap = config.leverageMaxPerSymbol[symbol] ?? config.maxLeverage;
  const day = isDaytime(config, now);
  const scheduled =
    day === true
      ? config.dayLeverageMaxPerSymbol[symbol]
      : day === false
        ? config.nightLeverageMaxPerSymbol[symbol]
        : undefined;
  if (scheduled !== undefined) cap = minDecimal(cap, scheduled);
  if (typeof productLeverageMax === 'number' && Number.isFinite(productLeverageMax) && productLeverageMax > 0) {
    cap = minDecimal(cap, new Decimal(String(productLeverageMax)));
  }
  return { symbolCap: cap, effectiveCap: minDecimal(cap, config.maxLeverage) };
}

/** The maintenance margin rate for a symbol: the day or night rate when configured, else the default. */
export function maintenanceMarginRate(symbol: string, config: RiskConfig, now: Date): Decimal {
  const day = isDaytime(config, now);
  const scheduled =
    day === true ? config.dayMmrPerSymbol[symbol] : day === false ? config.nightMmrPerSymbol[symbol] : undefined;
  return scheduled ?? config.defaultMaintenanceMarginRate;
}
