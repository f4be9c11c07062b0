import type { Decimal } from '@perps-bot/core';
import { parseDecimal } from '@perps-bot/core';
import { z } from 'zod';

// Coinbase sends every number as a string; a few fields may arrive as JSON numbers in older answers. Both are
// parsed exactly (parseDecimal never goes through a binary float for strings).
const numeric = z.union([z.string(), z.number()]);

function toDecimal(value: string | number, ctx: z.RefinementCtx): Decimal {
  const parsed = parseDecimal(value);
  if (parsed === undefined) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `is not a decimal (${JSON.stringify(value)})` });
    return z.NEVER;
  }
  return parsed;
}

/** A required decimal. */
export const decimal = numeric.transform(toDecimal);

/** A decimal the exchange leaves empty (`""`, null, absent) when it does not apply; those become null. */
export const optionalDecimal = z
  .union([numeric, z.null(), z.undefined()])
  .transform((value, ctx) => (value === null || value === undefined || value === '' ? null : toDecimal(value, ctx)));

/** `{"value":"1.5","currency":"USD"}`, the way Coinbase writes money. */
export const money = z.object({ value: decimal, currency: z.string().optional().default('') });

/** Money that some answers write as `{value,currency}` and others as a bare string (CFM positions differ). */
export const decimalOrMoney = z.union([decimal, money.transform((m) => m.value)]);
export const optionalDecimalOrMoney = z
  .union([money.transform((m) => m.value), optionalDecimal])
  .optional()
  .transform((value) => value ?? null);

/** An RFC 3339 time; empty or absent → null. An unreadable time is an error. */
export const optionalDate = z.union([z.string(), z.null(), z.undefined()]).transform((value, ctx) => {
  if (value === null || value === undefined || value.trim() === '') return null;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: `is not a date (${JSON.stringify(value)})` });
    return z.NEVER;
  }
  return at;
});

/** A string that may be absent or null; becomes ''. */
export const text = z.union([z.string(), z.null(), z.undefined()]).transform((value) => value ?? '');
