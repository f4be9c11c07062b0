import { Decimal, parseDecimal, type DecimalInput } from './decimal.js';
import { ErrorCodes, PerpsBotError } from './errors.js';

/** Why a value was refused as a price. */
export type PriceRefusal = 'not-a-decimal' | 'non-finite' | 'not-positive';

/**
 * A value that was meant to be a price is not one: not a decimal, not finite (decimal.js reads
 * "1e9000000000000001" as Infinity) or not above zero. `what` names where it came from ("bid of BTC-USD").
 */
export class InvalidPriceError extends PerpsBotError {
  override readonly name = 'InvalidPriceError';
  readonly what: string;
  readonly reason: PriceRefusal;

  constructor(what: string, reason: PriceRefusal, shown: string) {
    super(ErrorCodes.BAD_PRICE, `Invalid price for ${what}: ${shown} is ${describeRefusal(reason)}`, {
      details: { what, reason },
    });
    this.what = what;
    this.reason = reason;
  }
}

function describeRefusal(reason: PriceRefusal): string {
  if (reason === 'not-a-decimal') return 'not a decimal';
  if (reason === 'non-finite') return 'not finite';
  return 'not above zero';
}

/** True for a finite decimal above zero: the only thing this bot treats as a price. */
export function isUsablePrice(value: Decimal | null | undefined): value is Decimal {
  return value instanceof Decimal && value.isFinite() && value.greaterThan(0);
}

/** Why `value` is not a usable price, or undefined when it is one. */
export function priceRefusal(value: unknown): PriceRefusal | undefined {
  if (value instanceof Decimal) {
    if (!value.isFinite()) return 'non-finite';
    return value.greaterThan(0) ? undefined : 'not-positive';
  }
  if (typeof value === 'number' && (value === Infinity || value === -Infinity)) return 'non-finite';
  const parsed = parseDecimal(value);
  if (parsed !== undefined) return parsed.greaterThan(0) ? undefined : 'not-positive';
  // Well-formed text whose exponent overflows is a number, just not a finite one.
  if (typeof value === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+\s*$/.test(value)) return 'non-finite';
  return 'not-a-decimal';
}

/** The price in `value` (a Decimal, decimal text or a finite number), or an InvalidPriceError naming `what`. */
export function requirePrice(value: DecimalInput | unknown, what: string): Decimal {
  const reason = priceRefusal(value);
  if (reason !== undefined) throw new InvalidPriceError(what, reason, showValue(value));
  return value instanceof Decimal ? value : (parseDecimal(value) as Decimal);
}

/**
 * The mid of a book, only from two usable sides with bid ≤ ask; undefined otherwise. A negative, zero or
 * missing side, or a crossed book, has no mid: (−1 + 2) / 2 = 0.5 and (0 + ask) / 2 = ask / 2 are not prices
 * anyone traded near.
 */
export function midPrice(bid: Decimal | null | undefined, ask: Decimal | null | undefined): Decimal | undefined {
  if (!isUsablePrice(bid) || !isUsablePrice(ask) || bid.greaterThan(ask)) return undefined;
  return bid.plus(ask).div(2);
}

function showValue(value: unknown): string {
  if (value instanceof Decimal) return value.toFixed();
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return String(value);
  return Object.prototype.toString.call(value);
}
