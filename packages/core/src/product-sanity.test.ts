import { describe, expect, it } from 'vitest';
import type { Product } from './broker-types.js';
import { Decimal } from './decimal.js';
import { ErrorCodes } from './errors.js';
import { checkProduct, ProductSanityError, type ProductField } from './product-sanity.js';

const good: Product = {
  symbol: 'BIP-20DEC30-CDE',
  baseAsset: 'BTC',
  quoteAsset: 'USD',
  marketType: 'FUTURE',
  minSize: new Decimal('1'),
  stepSize: new Decimal('1'),
  minNotional: null,
  priceIncrement: new Decimal('5'),
  leverageMax: 10,
  contractSize: new Decimal('0.01'),
};

function refusal(product: Product): ProductSanityError {
  try {
    checkProduct(product);
  } catch (error) {
    if (error instanceof ProductSanityError) return error;
    throw error;
  }
  throw new Error('the product was accepted');
}

describe('checkProduct', () => {
  it('accepts a sane product as it is', () => {
    expect(checkProduct(good)).toBe(good);
    expect(
      checkProduct({ ...good, contractSize: new Decimal('1e-12'), minNotional: new Decimal(0), leverageMax: null }),
    ).toBeDefined();
    expect(checkProduct({ ...good, contractSize: new Decimal('1e9') })).toBeDefined();
  });

  it.each<[ProductField, Partial<Product>]>([
    ['minSize', { minSize: new Decimal('-1') }],
    ['minSize', { minSize: new Decimal('0') }],
    ['stepSize', { stepSize: new Decimal('0') }],
    ['stepSize', { stepSize: new Decimal(Infinity) }],
    ['priceIncrement', { priceIncrement: new Decimal('-0.01') }],
    ['minNotional', { minNotional: new Decimal('-10') }],
    ['contractSize', { contractSize: new Decimal('5e-324') }],
    ['contractSize', { contractSize: new Decimal('1e10') }],
    ['contractSize', { contractSize: new Decimal(0) }],
    ['leverageMax', { leverageMax: 0 }],
    ['leverageMax', { leverageMax: Number.POSITIVE_INFINITY }],
  ])('refuses a bad %s with a typed error naming the field', (field, change) => {
    const error = refusal({ ...good, ...change });
    expect(error.code).toBe(ErrorCodes.BAD_PRODUCT);
    expect(error.field).toBe(field);
    expect(error.symbol).toBe('BIP-20DEC30-CDE');
    expect(error.message).toContain(`Product BIP-20DEC30-CDE refused: ${field}`);
  });
});
