import { z } from 'zod';
import { optionalDecimal, text } from './common.js';

/**
 * One entry of a preview's `errs` / `warning`. The docs example lists enum strings
 * (`"UNKNOWN_PREVIEW_FAILURE_REASON"`); the advanced-trade-ts SDK types them as objects. Both are read: an
 * object's reason is its first string field among the names below (which names the live API uses in objects
 * could not be confirmed offline).
 */
const issue = z.union([
  z.string(),
  z.record(z.unknown()).transform((o) => {
    for (const key of ['preview_failure_reason', 'reason', 'error', 'message']) {
      const value = o[key];
      if (typeof value === 'string' && value !== '') return value;
    }
    return JSON.stringify(o);
  }),
]);

/** POST /orders/preview (coinbase-advanced-py v1.8.4 `PreviewOrderResponse`; only the fields the bot reads). */
export const previewOrderResponseSchema = z.object({
  preview_id: text,
  order_total: optionalDecimal,
  commission_total: optionalDecimal,
  best_bid: optionalDecimal,
  best_ask: optionalDecimal,
  errs: z
    .array(issue)
    .nullish()
    .transform((v) => v ?? []),
  warning: z
    .array(issue)
    .nullish()
    .transform((v) => v ?? []),
});
