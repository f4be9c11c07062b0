import { z } from 'zod';
import { decimal, optionalDate, optionalDecimal, text } from './common.js';

const perpetualDetails = z.object({
  funding_rate: optionalDecimal,
  funding_time: optionalDate,
  max_leverage: optionalDecimal,
  open_interest: optionalDecimal,
});

const futureProductDetails = z.object({
  contract_expiry_type: text,
  contract_expiry: optionalDate,
  contract_size: optionalDecimal,
  contract_root_unit: text,
  funding_rate: optionalDecimal,
  funding_time: optionalDate,
  /** `"3600s"` on perpetual-style contracts, `""` on dated ones (third-party fixture of BIP; unconfirmed offline). */
  funding_interval: text,
  perpetual_details: perpetualDetails.nullish(),
});

/** A product as `/products` and `/products/{id}` (and their public `/market/*` twins) return it. */
export const productSchema = z.object({
  product_id: z.string().min(1),
  price: optionalDecimal,
  base_increment: decimal,
  quote_increment: decimal,
  base_min_size: decimal,
  quote_min_size: optionalDecimal,
  price_increment: optionalDecimal,
  product_type: z.string(),
  base_currency_id: text,
  quote_currency_id: text,
  base_display_symbol: text,
  quote_display_symbol: text,
  product_venue: text,
  trading_disabled: z.boolean().optional(),
  future_product_details: futureProductDetails.nullish(),
});
export type CoinbaseProduct = z.output<typeof productSchema>;

/**
 * `num_products`: the SDKs type it as an integer, but a third-party capture of a live answer shows `"646"`; both
 * are read as a count. (Which form production sends today could not be confirmed offline.)
 */
const productCount = z.union([
  z.number().int().nonnegative(),
  z
    .string()
    .regex(/^\d+$/, 'is not a count')
    .transform((digits) => Number(digits)),
]);

export const productsResponseSchema = z.object({
  products: z.array(productSchema),
  num_products: productCount.optional(),
});
