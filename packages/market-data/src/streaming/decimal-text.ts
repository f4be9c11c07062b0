import { Decimal } from '@perps-bot/core';

/**
 * True when `text` is a finite decimal in the grammar core's `parseDecimal` accepts
 * (`[+-]digits[.digits][e[+-]digits]`, `.5` and `5.` included). Hand-written instead of a regex: it runs
 * once or twice per streamed message, on the ingest hot path.
 */
export function isDecimalText(text: string): boolean {
  const n = text.length;
  let i = 0;
  let c = n > 0 ? text.charCodeAt(0) : 0;
  if (c === 43 /* + */ || c === 45 /* - */) i++;
  let digits = 0;
  while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
    i++;
    digits++;
  }
  if (i < n && text.charCodeAt(i) === 46 /* . */) {
    i++;
    while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
      i++;
      digits++;
    }
  }
  if (digits === 0) return false;
  if (i === n) return true;
  c = text.charCodeAt(i);
  if (c !== 101 /* e */ && c !== 69 /* E */) return false;
  i++;
  if (i < n && ((c = text.charCodeAt(i)) === 43 || c === 45)) i++;
  let expDigits = 0;
  while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
    i++;
    expDigits++;
  }
  return expDigits > 0 && i === n;
}

/**
 * A streamed price field as a decimal, or undefined when it is not one: same answers as core's
 * `parseDecimal` for every JSON value (strings trimmed and parsed exactly, finite numbers through their
 * shortest decimal text, everything else undefined), without its regex.
 */
export function streamDecimal(value: unknown): Decimal | undefined {
  if (typeof value === 'string') {
    const text = value.trim();
    return isDecimalText(text) ? new Decimal(text) : undefined;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? new Decimal(String(value)) : undefined;
  if (value instanceof Decimal) return value.isFinite() ? value : undefined;
  return undefined;
}
