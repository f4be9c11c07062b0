import type { Logger } from '@perps-bot/core';

/**
 * The reference's `max(int(level), 1)`: an integer-like value (a number, an integer string, a boolean) is
 * truncated and raised to at least 1; unset means 1; anything else logs a warning and becomes 1.
 */
export function coerceStreamLevel(level: unknown, logger: Logger): number {
  if (level === undefined || level === null) return 1;
  let value: number | undefined;
  if (typeof level === 'number' && Number.isFinite(level)) value = Math.trunc(level);
  else if (typeof level === 'boolean') value = level ? 1 : 0;
  else if (typeof level === 'string' && /^\s*[+-]?\d+\s*$/.test(level)) value = Number.parseInt(level, 10);
  if (value === undefined) {
    logger.warn(`Invalid streaming level ${String(level)}; defaulting to 1`, { level: String(level) });
    return 1;
  }
  return Math.max(value, 1);
}

/** Python's repr of a list of strings, so the start log reads as the reference's ("['BTC-USD', 'ETH-USD']"). */
export function pythonList(items: readonly string[]): string {
  return `[${items.map((s) => `'${s}'`).join(', ')}]`;
}
