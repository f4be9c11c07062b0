import { Decimal, decimalToString, type OrderSide, type Position } from '@perps-bot/core';

/** What the bot believed and what the exchange said, for a `position_drift` event. */
export interface PositionDrift {
  readonly symbol: string;
  readonly bot: string;
  readonly exchange: string;
  readonly reason: 'external_change' | 'unexpected_after_fill';
}

interface Expectation {
  /** The signed position read just before the order was sent. */
  readonly before: Decimal;
  /** `before` moved by the order's fill: what a read that includes the fill shows. */
  readonly expected: Decimal;
  /** Reads that still showed `before` (the exchange's positions lag its fills). */
  lagging: number;
}

const ZERO = new Decimal(0);

/** Signed contracts held in a symbol according to a positions answer (0 when absent). */
export function heldIn(positions: readonly Position[], symbol: string): Decimal {
  const held = positions.find((p) => p.symbol === symbol);
  if (!held || held.quantity.isZero()) return ZERO;
  const size = held.quantity.abs();
  const short = held.side ? held.side === 'short' : held.quantity.isNegative();
  return short ? size.negated() : size;
}

/**
 * What the bot knows about its positions beyond the last positions answer: the fills of its own orders.
 * After a fill, a symbol stays unsettled until a positions answer shows it (the read before the order moved by
 * the fill); an answer that still shows the old size is lagging, and no order of any kind is sized from it.
 * An answer that is neither, or a change the bot did not cause, is drift: reported with both sides, then
 * taken as the truth.
 */
export class PositionBook {
  readonly #last = new Map<string, Decimal>();
  readonly #expectations = new Map<string, Expectation>();
  readonly #onDrift: ((drift: PositionDrift) => void) | undefined;

  /** `onDrift` hears every drift, whoever made the read (the cycle, the executor, reconciliation). */
  constructor(onDrift?: (drift: PositionDrift) => void) {
    this.#onDrift = onDrift;
  }

  /** The fill of an order sent with `before` as the position it was sized against. */
  expectFill(symbol: string, before: Decimal, side: OrderSide, filled: Decimal): void {
    if (filled.isZero()) return;
    const signed = side === 'BUY' ? filled : filled.negated();
    this.#expectations.set(symbol, { before, expected: before.plus(signed), lagging: 0 });
  }

  /**
   * Takes a fresh positions answer. `inDoubt` symbols (an order of unknown outcome or still open) report no
   * drift: their change may be that order's. Returns the drifts found.
   */
  observe(positions: readonly Position[], inDoubt: (symbol: string) => boolean = () => false): PositionDrift[] {
    const drifts: PositionDrift[] = [];
    const symbols = new Set([...this.#last.keys(), ...this.#expectations.keys(), ...positions.map((p) => p.symbol)]);
    for (const symbol of symbols) {
      const read = heldIn(positions, symbol);
      const expectation = this.#expectations.get(symbol);
      if (expectation) {
        if (read.equals(expectation.expected)) {
          this.#expectations.delete(symbol);
        } else if (read.equals(expectation.before)) {
          expectation.lagging += 1;
          continue; // keep the last known size: this answer predates our fill
        } else {
          drifts.push({
            symbol,
            bot: decimalToString(expectation.expected),
            exchange: decimalToString(read),
            reason: 'unexpected_after_fill',
          });
          this.#expectations.delete(symbol);
        }
      } else {
        const last = this.#last.get(symbol);
        if (last !== undefined && !last.equals(read) && !inDoubt(symbol)) {
          drifts.push({
            symbol,
            bot: decimalToString(last),
            exchange: decimalToString(read),
            reason: 'external_change',
          });
        }
      }
      this.#last.set(symbol, read);
    }
    for (const drift of drifts) this.#onDrift?.(drift);
    return drifts;
  }

  /** False while a fill of ours is not yet visible in the positions answers. */
  isSettled(symbol: string): boolean {
    return !this.#expectations.has(symbol);
  }

  /** How many answers in a row have lagged our last fill in the symbol (0 when settled). */
  laggingReads(symbol: string): number {
    return this.#expectations.get(symbol)?.lagging ?? 0;
  }

  /** The size the bot believes it holds: the expected one while a fill is pending, else the last read. */
  believed(symbol: string): Decimal | undefined {
    return this.#expectations.get(symbol)?.expected ?? this.#last.get(symbol);
  }
}
