import { Decimal } from '@perps-bot/core';
import type { ProductDef } from './products.js';
import type { OrderSide } from './order-request.js';

export interface SimPosition {
  readonly product: ProductDef;
  /** Signed: contracts for CFM, base units for INTX. Long > 0. */
  qty: Decimal;
  entry: Decimal;
  leverage: Decimal;
  marginType: 'CROSS' | 'ISOLATED';
  realizedToday: Decimal;
}

export interface Balance {
  available: Decimal;
  hold: Decimal;
}

const ZERO = new Decimal(0);
// CFM intraday initial margin rate when an order names no leverage: 10 %, about what Coinbase asks for nano BTC.
const CFM_MARGIN_RATE = new Decimal('0.1');

const DEFAULT_BALANCES: Readonly<Record<string, string>> = { USD: '100000', USDC: '100000', BTC: '0', ETH: '0' };

/**
 * Cash balances and futures positions. Spot moves two currencies; CFM futures settle in USD and INTX perps in
 * USDC, with realised PnL and fees booked to that cash and margin checked against cash + unrealised PnL.
 */
export class Ledger {
  readonly balances = new Map<string, Balance>();
  readonly positions = new Map<string, SimPosition>();

  constructor(initial: Readonly<Record<string, string>> = DEFAULT_BALANCES) {
    for (const [currency, amount] of Object.entries(initial)) {
      this.balances.set(currency, { available: new Decimal(amount), hold: ZERO });
    }
  }

  balance(currency: string): Balance {
    let b = this.balances.get(currency);
    if (!b) {
      b = { available: ZERO, hold: ZERO };
      this.balances.set(currency, b);
    }
    return b;
  }

  /** Multiplier from position units to base units: contract size for CFM, 1 otherwise. */
  static unit(product: ProductDef): Decimal {
    return product.kind === 'cfm' ? product.contractSize : new Decimal(1);
  }

  /** Cash the position settles in. */
  static collateral(product: ProductDef): string {
    return product.kind === 'intx' ? 'USDC' : 'USD';
  }

  /** Margin a futures position needs at a mark: notional / leverage (CFM default: 10 % of notional). */
  static initialMargin(position: Pick<SimPosition, 'product' | 'qty' | 'leverage'>, mark: Decimal): Decimal {
    const notional = position.qty.abs().mul(mark).mul(Ledger.unit(position.product));
    if (position.product.kind === 'cfm' && position.leverage.lessThanOrEqualTo(1)) return notional.mul(CFM_MARGIN_RATE);
    return notional.div(position.leverage);
  }

  unrealized(position: SimPosition, mark: Decimal): Decimal {
    return position.qty.mul(mark.minus(position.entry)).mul(Ledger.unit(position.product));
  }

  /** Cash + unrealised PnL − initial margin of every position settling in that currency. */
  availableMargin(currency: string, marks: (productId: string) => Decimal): Decimal {
    let margin = this.balance(currency).available;
    for (const p of this.positions.values()) {
      if (Ledger.collateral(p.product) !== currency) continue;
      const mark = marks(p.product.id);
      margin = margin.plus(this.unrealized(p, mark)).minus(Ledger.initialMargin(p, mark));
    }
    return margin;
  }

  /** True when the fill would be paid for; spot needs the cash or coins, futures the added margin. */
  canAfford(
    product: ProductDef,
    side: OrderSide,
    size: Decimal,
    price: Decimal,
    fee: Decimal,
    leverage: Decimal,
    marks: (id: string) => Decimal,
  ): boolean {
    if (product.kind === 'spot') {
      if (side === 'BUY') return this.balance(product.quote).available.greaterThanOrEqualTo(size.mul(price).plus(fee));
      return this.balance(product.base).available.greaterThanOrEqualTo(size);
    }
    const current = this.positions.get(product.id);
    const signed = side === 'BUY' ? size : size.neg();
    const after = (current?.qty ?? ZERO).plus(signed);
    // Reducing a position never needs margin.
    if (after.abs().lessThanOrEqualTo((current?.qty ?? ZERO).abs())) return true;
    const added = Ledger.initialMargin(
      { product, qty: after.abs().minus((current?.qty ?? ZERO).abs()), leverage },
      price,
    );
    return this.availableMargin(Ledger.collateral(product), marks).minus(fee).greaterThanOrEqualTo(added);
  }

  /** Would the order make the position larger (or open one)? Reduce-only orders may not. */
  wouldIncrease(product: ProductDef, side: OrderSide, size: Decimal): boolean {
    const current = this.positions.get(product.id)?.qty ?? ZERO;
    const after = current.plus(side === 'BUY' ? size : size.neg());
    if (current.isZero()) return true;
    if (after.isZero()) return false;
    return after.abs().greaterThan(current.abs()) || after.isNeg() !== current.isNeg();
  }

  applyFill(
    product: ProductDef,
    side: OrderSide,
    size: Decimal,
    price: Decimal,
    fee: Decimal,
    leverage: Decimal,
    marginType: 'CROSS' | 'ISOLATED',
  ): void {
    if (product.kind === 'spot') {
      const quote = this.balance(product.quote);
      const base = this.balance(product.base);
      const value = size.mul(price);
      if (side === 'BUY') {
        quote.available = quote.available.minus(value).minus(fee);
        base.available = base.available.plus(size);
      } else {
        base.available = base.available.minus(size);
        quote.available = quote.available.plus(value).minus(fee);
      }
      return;
    }
    const cash = this.balance(Ledger.collateral(product));
    cash.available = cash.available.minus(fee);
    let position = this.positions.get(product.id);
    if (!position) {
      position = { product, qty: ZERO, entry: ZERO, leverage, marginType, realizedToday: ZERO };
      this.positions.set(product.id, position);
    }
    position.leverage = leverage;
    position.marginType = marginType;
    const delta = side === 'BUY' ? size : size.neg();
    const q = position.qty;
    if (q.isZero() || q.isNeg() === delta.isNeg()) {
      position.entry = position.entry.mul(q.abs()).plus(price.mul(delta.abs())).div(q.abs().plus(delta.abs()));
      position.qty = q.plus(delta);
      return;
    }
    const closing = Decimal.min(q.abs(), delta.abs());
    const pnl = closing
      .mul(price.minus(position.entry))
      .mul(Ledger.unit(product))
      .mul(q.isNeg() ? -1 : 1);
    cash.available = cash.available.plus(pnl);
    position.realizedToday = position.realizedToday.plus(pnl);
    position.qty = q.plus(delta);
    if (position.qty.isZero()) position.entry = ZERO;
    else if (position.qty.isNeg() !== q.isNeg()) position.entry = price;
  }
}
