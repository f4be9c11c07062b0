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
    if (!isDecimalText(text)) return undefined;
    // As in parseDecimal: an exponent past decimal.js's range reads as Infinity, which is not a price.
    const parsed = new Decimal(text);
    return parsed.isFinite() ? parsed : undefined;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? new Decimal(String(value)) : undefined;
  if (value instanceof Decimal) return value.isFinite() ? value : undefined;
  return undefined;
}

// Plain decimal text with at most this many digits is read into an exact integer and a scale: the sum of
// two (≤ 2·10^14) times 5 stays far below 2^53, so the mid below is exact in binary floating point.
const FAST_DIGITS = 14;
let fastInt = 0;
let fastScale = 0;

/** Reads `-?digits[.digits]` (no sign '+', exponent or spaces) into fastInt/fastScale; false otherwise. */
function readPlain(text: string): boolean {
  const n = text.length;
  let i = 0;
  let negative = false;
  if (n > 0 && text.charCodeAt(0) === 45 /* - */) {
    negative = true;
    i = 1;
  }
  let value = 0;
  let digits = 0;
  let scale = -1;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (c === 46 /* . */ && scale < 0) {
      scale = 0;
    } else {
      return false;
    }
  }
  if (digits === 0 || digits > FAST_DIGITS || scale === 0) return false;
  fastInt = negative ? -value : value;
  fastScale = scale < 0 ? 0 : scale;
  return true;
}

const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14];

/**
 * (bid + ask) / 2 for two price texts, computed exactly on integers and built as one Decimal, or undefined
 * when either text is outside the plain fast form (the caller then takes the general path). Equal in value
 * to `new Decimal(bid).plus(ask).div(2)`: both are exact for inputs of at most 14 digits.
 */
export function fastMidFromText(bid: string, ask: string): Decimal | undefined {
  if (!readPlain(bid)) return undefined;
  let a = fastInt;
  let aScale = fastScale;
  if (!readPlain(ask)) return undefined;
  let b = fastInt;
  let scale = fastScale;
  if (aScale < scale) {
    a *= POW10[scale - aScale] as number;
    aScale = scale;
  } else if (scale < aScale) {
    b *= POW10[aScale - scale] as number;
    scale = aScale;
  }
  if (Math.abs(a) >= 1e14 || Math.abs(b) >= 1e14) return undefined;
  let sum = a + b;
  if (sum % 2 === 0) {
    sum /= 2;
  } else {
    sum *= 5;
    scale++;
  }
  return new Decimal(scale === 0 ? sum : `${sum}e-${scale}`);
}
