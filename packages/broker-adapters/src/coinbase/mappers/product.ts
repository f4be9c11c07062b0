import { checkProduct, Decimal, type MarketType, type Product } from '@perps-bot/core';
import type { CoinbaseProduct } from '../schemas/products.js';

const ONE = new Decimal(1);

/** INTX perpetual ids end in -PERP-INTX (US futures, CFM, end in -CDE and are told apart by their funding). */
export function isIntxPerpetual(symbol: string): boolean {
  return symbol.toUpperCase().endsWith('-PERP-INTX');
}

/**
 * SPOT, PERPETUAL or FUTURE. The US perpetual-style futures (`BIP-20DEC30-CDE`) are listed as `FUTURE` with
 * `contract_expiry_type: "EXPIRING"` (a 2030 expiry) and funding on `future_product_details`; they are
 * perpetual-style because they pay funding, so funding — not the expiry type — decides. A dated future (no
 * funding) is FUTURE. (The listing's shape comes from a third-party fixture of the real product; unconfirmed
 * offline.)
 */
function marketTypeOf(product: CoinbaseProduct): MarketType {
  if (product.product_type.toUpperCase() === 'SPOT') return 'SPOT';
  const details = product.future_product_details;
  const expiry = details?.contract_expiry_type.toUpperCase() ?? '';
  if (expiry === 'PERPETUAL' || isIntxPerpetual(product.product_id)) return 'PERPETUAL';
  if (details && paysFunding(details)) return 'PERPETUAL';
  return 'FUTURE';
}

function paysFunding(details: NonNullable<CoinbaseProduct['future_product_details']>): boolean {
  return (
    details.funding_interval !== '' ||
    details.funding_rate !== null ||
    (details.perpetual_details?.funding_rate ?? null) !== null
  );
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
  const quoteAsset =
    product.quote_currency_id ||
    product.quote_display_symbol ||
    (isIntxPerpetual(product.product_id) ? 'USDC' : idQuote);
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
    // Perpetual-style CFM contracts still expire (BIP: 2030-12-20): the date is kept whatever the funding.
    expiry: details && details.contract_expiry_type.toUpperCase() === 'EXPIRING' ? details.contract_expiry : null,
  };
}
