import DecimalDefault from 'decimal.js';
import type { Decimal as DecimalClass } from 'decimal.js';

// decimal.js's ESM build default-exports the class, but NodeNext reads its typings as CommonJS and would type
// the default import as the module object. Re-export it once here, correctly typed; everything else imports
// Decimal from @perps-bot/core so the whole bot shares one decimal.js.
export const Decimal: typeof DecimalClass = DecimalDefault as unknown as typeof DecimalClass;
export type Decimal = DecimalClass;

// decimal.js rounds every result to 20 significant digits by default, which can silently round a notional
// (price × size × contract size) or a mid of two long prices. 40 digits keeps every amount this bot handles
// exact; the setting is global to the one decimal.js instance the whole workspace shares.
Decimal.set({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });

/** Anything a price may arrive as at a boundary (a broker answer, a config file, a WebSocket frame). */
export type DecimalInput = Decimal | string | number | bigint;

export const ZERO = new Decimal(0);

/**
 * Parses a price or size without ever going through a binary float: numbers are converted through their
 * shortest decimal string (50000.0 → "50000"), strings are parsed exactly. Returns undefined for anything
 * that is not a finite decimal (null, "", "abc", NaN, Infinity, objects, text whose exponent overflows).
 */
export function parseDecimal(value: unknown): Decimal | undefined {
  if (value instanceof Decimal) return value.isFinite() ? value : undefined;
  if (typeof value === 'bigint') return new Decimal(value.toString());
  if (typeof value === 'number') return Number.isFinite(value) ? new Decimal(String(value)) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '' || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  // Well-formed text can still be out of decimal.js's range: "1e9000000000000001" becomes Infinity (and a
  // tiny exponent becomes 0, which price checks refuse as non-positive). Infinity is not a decimal.
  const parsed = new Decimal(text);
  return parsed.isFinite() ? parsed : undefined;
}

/** Decimal → the canonical string used in logs, events and golden files ("50000", "0.5", "-1.25"). */
export function decimalToString(value: Decimal): string {
  return value.toFixed();
}

export function minDecimal(a: Decimal, b: Decimal): Decimal {
  return a.lessThan(b) ? a : b;
}

export function maxDecimal(a: Decimal, b: Decimal): Decimal {
  return a.greaterThan(b) ? a : b;
}

/** Sums decimals exactly; an empty list sums to zero. */
export function sumDecimals(values: Iterable<Decimal>): Decimal {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}
