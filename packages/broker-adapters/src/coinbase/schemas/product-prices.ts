import { z } from 'zod';
import { optionalDecimal } from './common.js';

/**
 * The products list read only for its last trade prices (the batched quote path): the id and `price` of each
 * entry are validated as the full product schema does, the other ~40 fields are not parsed at all, which keeps
 * 1,000 symbols per cycle cheap.
 */
export const productPricesResponseSchema = z.object({
  products: z.array(z.object({ product_id: z.string().min(1), price: optionalDecimal })),
});
export type CoinbaseProductPrice = z.output<typeof productPricesResponseSchema>['products'][number];
