import { Decimal, type Product } from '@perps-bot/core';

export const perpProduct = (symbol = 'BTC-PERP', overrides: Partial<Product> = {}): Product => ({
  symbol,
  baseAsset: symbol.split('-')[0] ?? symbol,
  quoteAsset: 'USD',
  marketType: 'PERPETUAL',
  minSize: new Decimal('1e-8'),
  stepSize: new Decimal('1e-8'),
  minNotional: new Decimal(10),
  priceIncrement: new Decimal('0.01'),
  leverageMax: 20,
  contractSize: new Decimal(1),
  ...overrides,
});
