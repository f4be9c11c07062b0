import { z } from 'zod';
import { money, text } from './common.js';

export const accountSchema = z.object({
  uuid: z.string(),
  currency: z.string().min(1),
  available_balance: money,
  hold: money.nullish(),
  active: z.boolean().optional(),
  type: text,
});
export type CoinbaseAccount = z.output<typeof accountSchema>;

/** GET /accounts, cursor-paged. */
export const accountsResponseSchema = z.object({
  accounts: z.array(accountSchema),
  has_next: z.boolean().optional().default(false),
  cursor: text,
});
