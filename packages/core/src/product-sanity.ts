import type { Decimal } from 'decimal.js';
import { Decimal as D } from './decimal.js';
import { ErrorCodes, PerpsBotError } from './errors.js';
import type { Product } from './broker-types.js';

/**
 * The range a contract multiplier must fall in. Real ones run from 1e-4 (nano contracts) to 1e3; 5e-324 or
 * 1e300 is a broken answer, and either would make every notional (contracts × price × size) meaningless.
 */
const CONTRACT_SIZE_MIN = new D('1e-12');
const CONTRACT_SIZE_MAX = new D('1e9');

/** The product field that failed its check. */
export type ProductField = 'minSize' | 'stepSize' | 'priceIncrement' | 'minNotional' | 'contractSize' | 'leverageMax';

/** A product the bot refuses to size or price orders with; the message names the symbol, field and value. */
export class ProductSanityError extends PerpsBotError {
  override readonly name = 'ProductSanityError';
  readonly symbol: string;
  readonly field: ProductField;

  constructor(symbol: string, field: ProductField, value: string, rule: string) {
    super(ErrorCodes.BAD_PRODUCT, `Product ${symbol} refused: ${field} ${value} ${rule}`, {
      details: { symbol, field, value },
    });
    this.symbol = symbol;
    this.field = field;
  }
}

const finitePositive = (value: Decimal): boolean => value.isFinite() && value.greaterThan(0);

/**
 * Returns the product when every field the bot sizes or prices with is sane, else throws ProductSanityError
 * for the first field that is not: increments and the minimum size positive and finite, the minimum notional
 * absent or ≥ 0, the contract size within [CONTRACT_SIZE_MIN, CONTRACT_SIZE_MAX], the leverage cap absent or
 * a positive finite number.
 */
export function checkProduct(product: Product): Product {
  const refuse = (field: ProductField, value: Decimal | number, rule: string): never => {
    throw new ProductSanityError(
      product.symbol,
      field,
      typeof value === 'number' ? String(value) : value.toString(),
      rule,
    );
  };
  if (!finitePositive(product.minSize)) refuse('minSize', product.minSize, 'must be a positive finite size');
  if (!finitePositive(product.stepSize)) refuse('stepSize', product.stepSize, 'must be a positive finite increment');
  if (!finitePositive(product.priceIncrement))
    refuse('priceIncrement', product.priceIncrement, 'must be a positive finite increment');
  if (
    product.minNotional !== null &&
    !(product.minNotional.isFinite() && product.minNotional.greaterThanOrEqualTo(0))
  ) {
    refuse('minNotional', product.minNotional, 'must be absent or a finite amount ≥ 0');
  }
  const contract = product.contractSize;
  if (!contract.isFinite() || contract.lessThan(CONTRACT_SIZE_MIN) || contract.greaterThan(CONTRACT_SIZE_MAX)) {
    refuse(
      'contractSize',
      contract,
      `must be between ${CONTRACT_SIZE_MIN.toString()} and ${CONTRACT_SIZE_MAX.toString()}`,
    );
  }
  if (product.leverageMax !== null && !(Number.isFinite(product.leverageMax) && product.leverageMax > 0)) {
    refuse('leverageMax', product.leverageMax, 'must be absent or a positive number');
  }
  return product;
}
