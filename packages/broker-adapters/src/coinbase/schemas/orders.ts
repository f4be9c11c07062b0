import { z } from 'zod';
import { decimal, optionalDate, optionalDecimal, text } from './common.js';

const side = z.enum(['BUY', 'SELL']);

/** The one entry of `order_configuration` (`limit_limit_gtc`, `market_market_ioc`…); only the fields we read. */
const configurationBody = z.object({
  base_size: optionalDecimal,
  quote_size: optionalDecimal,
  limit_price: optionalDecimal,
  stop_price: optionalDecimal,
  post_only: z.boolean().optional(),
});
const orderConfigurationSchema = z.record(configurationBody);

export const orderSchema = z.object({
  order_id: z.string().min(1),
  product_id: z.string().min(1),
  side,
  client_order_id: text,
  status: z.string().min(1),
  time_in_force: text,
  created_time: optionalDate,
  last_fill_time: optionalDate,
  order_configuration: orderConfigurationSchema.nullish(),
  order_type: text,
  filled_size: optionalDecimal,
  average_filled_price: optionalDecimal,
  total_fees: optionalDecimal,
  reject_reason: text,
  leverage: optionalDecimal,
  margin_type: text,
  product_type: text,
});
export type CoinbaseOrder = z.output<typeof orderSchema>;

export const getOrderResponseSchema = z.object({ order: orderSchema });

export const listOrdersResponseSchema = z.object({
  orders: z.array(orderSchema),
  has_next: z.boolean().optional().default(false),
  cursor: text,
});

/** POST /orders. `success:false` carries `error_response`; checked whatever the HTTP status. */
export const createOrderResponseSchema = z
  .object({
    success: z.boolean(),
    failure_reason: text,
    success_response: z
      .object({ order_id: z.string().min(1), product_id: text, side: text, client_order_id: text })
      .nullish(),
    error_response: z
      .object({
        error: text,
        message: text,
        error_details: text,
        new_order_failure_reason: text,
        preview_failure_reason: text,
      })
      .nullish(),
  })
  .superRefine((body, ctx) => {
    if (body.success && !body.success_response) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['success_response'], message: 'is missing on a success' });
    }
  });
export type CreateOrderResponse = z.output<typeof createOrderResponseSchema>;

/** POST /orders/batch_cancel: one result per id, not atomic. */
export const cancelOrdersResponseSchema = z.object({
  results: z.array(z.object({ success: z.boolean(), failure_reason: text, order_id: z.string() })),
});

export const fillSchema = z.object({
  entry_id: text,
  trade_id: text,
  order_id: z.string().min(1),
  trade_time: optionalDate,
  price: decimal,
  size: decimal,
  commission: optionalDecimal,
  product_id: z.string().min(1),
  side,
  size_in_quote: z.boolean().optional(),
});
export type CoinbaseFill = z.output<typeof fillSchema>;

/** GET /orders/historical/fills: `cursor` per the SDK; `has_next` is read when present (not in the SDK's type). */
export const listFillsResponseSchema = z.object({
  fills: z.array(fillSchema),
  cursor: text,
  has_next: z.boolean().optional(),
});
