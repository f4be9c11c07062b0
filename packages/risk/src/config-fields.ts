import { Decimal, parseDecimal } from '@perps-bot/core';
import { z } from 'zod';

/**
 * zod field builders for RiskConfig. Each accepts what a JSON file, a programmatic override or an environment
 * variable can carry (a Decimal, a number or a numeric string; a boolean or a boolean word) and yields the
 * typed value, so one schema serves all three sources.
 */

const show = (value: unknown): string => {
  if (value instanceof Decimal) return value.toFixed();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};

interface DecimalBounds {
  /** Inclusive lower bound. */
  readonly min?: number;
  /** Exclusive lower bound. */
  readonly above?: number;
  /** Exclusive upper bound. */
  readonly below?: number;
}

/** A decimal parsed exactly (never through a float), with optional bounds. */
export function decimalField(bounds: DecimalBounds = {}) {
  return z.unknown().transform((value, ctx): Decimal => {
    const parsed = parseDecimal(value);
    if (parsed === undefined) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a decimal number, got ${show(value)}` });
      return z.NEVER;
    }
    const fail = (rule: string): Decimal => {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be ${rule}, got ${parsed.toFixed()}` });
      return z.NEVER;
    };
    if (bounds.min !== undefined && parsed.lessThan(bounds.min)) return fail(`at least ${bounds.min}`);
    if (bounds.above !== undefined && !parsed.greaterThan(bounds.above)) return fail(`greater than ${bounds.above}`);
    if (bounds.below !== undefined && !parsed.lessThan(bounds.below)) return fail(`less than ${bounds.below}`);
    return parsed;
  });
}

/** A plain number (counts, seconds, statistics thresholds), also accepted as a numeric string. */
export function numberField(bounds: DecimalBounds & { readonly integer?: boolean } = {}) {
  return decimalField(bounds).transform((value, ctx): number => {
    if (bounds.integer === true && !value.isInteger()) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `must be a whole number, got ${value.toFixed()}` });
      return z.NEVER;
    }
    return value.toNumber();
  });
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/** A boolean, or one of true/false/1/0/yes/no/on/off in any case (what environment variables carry). */
export function booleanField() {
  return z.unknown().transform((value, ctx): boolean => {
    if (typeof value === 'boolean') return value;
    const word = typeof value === 'string' || typeof value === 'number' ? String(value).trim().toLowerCase() : '';
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `must be a boolean (true/false, 1/0, yes/no, on/off), got ${show(value)}`,
    });
    return z.NEVER;
  });
}

const TIME_OF_DAY = /^(?:[01]\d|2[0-3]):[0-5]\d$/;

/** "HH:MM" in UTC, or null for "not set". */
export function timeOfDayField() {
  return z.unknown().transform((value, ctx): string | null => {
    if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) return null;
    if (typeof value === 'string' && TIME_OF_DAY.test(value.trim())) return value.trim();
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: `must be a UTC time "HH:MM" (00:00–23:59), got ${show(value)}`,
    });
    return z.NEVER;
  });
}

/**
 * A per-symbol map: an object `{ "BTC-PERP": 3 }` or the environment form `"BTC-PERP:3,ETH-PERP:2"`. Each value
 * goes through `valueField`; an issue names the symbol in its path.
 */
export function symbolMapField<T>(valueField: z.ZodType<T, z.ZodTypeDef, unknown>) {
  return z
    .unknown()
    .transform((value, ctx): Record<string, unknown> => {
      if (typeof value === 'string') return parseMapString(value, ctx);
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Decimal)) {
        return value as Record<string, unknown>;
      }
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        message: `must be a map of symbol to value ({"BTC-PERP": 3} or "BTC-PERP:3,ETH-PERP:2"), got ${show(value)}`,
      });
      return z.NEVER;
    })
    .pipe(z.record(z.string().trim().min(1, 'has an empty symbol'), valueField).transform((map) => Object.freeze(map)));
}

function parseMapString(text: string, ctx: z.RefinementCtx): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const colon = entry.indexOf(':');
    const symbol = colon < 0 ? '' : entry.slice(0, colon).trim();
    const value = colon < 0 ? '' : entry.slice(colon + 1).trim();
    if (symbol === '' || value === '') {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `has an invalid entry "${entry}"; expected SYMBOL:VALUE` });
      return z.NEVER;
    }
    result[symbol] = value;
  }
  return result;
}
