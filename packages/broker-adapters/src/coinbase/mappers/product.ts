import { checkProduct, Decimal, type MarketType, type Product } from '@perps-bot/core';
import type { CoinbaseProduct } from '../schemas/products.js';

const ONE = new Decimal(1);

/** INTX perpetual ids end in -PERP-INTX; US futures (CFM) end in -CDE. */
export function isIntxPerpetual(symbol: string): boolean {
  return symbol.toUpperCase().endsWith('-PERP-INTX');
}

export function isCfmFuture(symbol: string): boolean {
  return symbol.toUpperCase().endsWith('-CDE');
}

export function marketTypeOf(product: CoinbaseProduct): MarketType {
  if (product.product_type.toUpperCase() === 'SPOT') return 'SPOT';
  const expiry = product.future_product_details?.contract_expiry_type.toUpperCase() ?? '';
  if (expiry === 'PERPETUAL' || isIntxPerpetual(product.product_id)) return 'PERPETUAL';
  return 'FUTURE';
}

/**
 * The product as the bot sees it, checked by core's `checkProduct`: a negative minimum size, a zero step or a
 * contract size of 5e-324 is a ProductSanityError naming the field, never a product that orders are sized with.
 */
export function toProduct(product: CoinbaseProduct): Product {
  return checkProduct(mapProduct(product));
}

function mapProduct(product: CoinbaseProduct): Product {
  const details = product.future_product_details ?? null;
  const perp = details?.perpetual_details ?? null;
  const [idBase = product.product_id, idQuote = 'USD'] = product.product_id.split('-');
  const maxLeverage = perp?.max_leverage ?? null;
  // CFM futures leave base_currency_id empty; the contract's root unit (BTC for BIP-…) is the underlying.
  const baseAsset = product.base_currency_id || product.base_display_symbol || details?.contract_root_unit || idBase;
  const quoteAsset = product.quote_currency_id || product.quote_display_symbol || (isIntxPerpetual(product.product_id) ? 'USDC' : idQuote);
  const minNotional = product.quote_min_size && product.quote_min_size.greaterThan(0) ? product.quote_min_size : null;
  return {
    symbol: product.product_id,
    baseAsset,
    quoteAsset,
    marketType: marketTypeOf(product),
    minSize: product.base_min_size,
    stepSize: product.base_increment,
    minNotional,
    // CFM contracts tick in price_increment (5 USD for BIP) while quote_increment says 0.01; the tick wins.
    priceIncrement: product.price_increment ?? product.quote_increment,
    leverageMax: maxLeverage ? maxLeverage.toNumber() : null,
    contractSize: details?.contract_size ?? ONE,
    fundingRate: perp?.funding_rate ?? details?.funding_rate ?? null,
    nextFundingTime: perp?.funding_time ?? details?.funding_time ?? null,
    expiry: details && details.contract_expiry_type.toUpperCase() === 'EXPIRING' ? details.contract_expiry : null,
  };
}
