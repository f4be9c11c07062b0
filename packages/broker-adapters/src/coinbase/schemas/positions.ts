import { z } from 'zod';
import { decimal, decimalOrMoney, money, optionalDecimal, optionalDecimalOrMoney, text } from './common.js';

/**
 * A US futures (CFM) position, fields as SDK `CFMPosition` (coinbase-advanced-py v1.8.4 rest/types/futures_types.py)
 * names them. Price fields are bare strings in some answers and money objects in others. No `leverage`: it is
 * not a CFM position field.
 */
export const cfmPositionSchema = z.object({
  product_id: z.string().min(1),
  side: z.string(),
  number_of_contracts: decimal,
  current_price: decimalOrMoney,
  avg_entry_price: decimalOrMoney,
  unrealized_pnl: optionalDecimalOrMoney,
  daily_realized_pnl: optionalDecimalOrMoney,
});
export type CfmPosition = z.output<typeof cfmPositionSchema>;

export const cfmPositionsResponseSchema = z.object({ positions: z.array(cfmPositionSchema) });

/** GET /cfm/balance_summary: every amount is money. */
export const cfmBalanceSummarySchema = z.object({
  balance_summary: z.object({
    futures_buying_power: money,
    total_usd_balance: money,
    cbi_usd_balance: money.nullish(),
    cfm_usd_balance: money.nullish(),
    unrealized_pnl: money,
    daily_realized_pnl: money.nullish(),
    initial_margin: money.nullish(),
    available_margin: money,
    liquidation_buffer_amount: money.nullish(),
    liquidation_buffer_percentage: optionalDecimal,
  }),
});

/** An INTX perpetuals position (legacy surface, retired by Coinbase in 2026). */
export const intxPositionSchema = z.object({
  product_id: text,
  symbol: text,
  position_side: z.string(),
  net_size: decimal,
  entry_vwap: optionalDecimalOrMoney,
  vwap: optionalDecimalOrMoney,
  mark_price: decimalOrMoney,
  unrealized_pnl: optionalDecimalOrMoney,
  aggregated_pnl: optionalDecimalOrMoney,
  leverage: optionalDecimal,
  margin_type: text,
});
export type IntxPosition = z.output<typeof intxPositionSchema>;

export const intxPositionsResponseSchema = z.object({ positions: z.array(intxPositionSchema) });

/** GET /intx/portfolio/{uuid}: the summary block only; the per-portfolio rows are not used by the bot. */
export const intxPortfolioSummarySchema = z.object({
  summary: z.object({
    unrealized_pnl: money.nullish(),
    buying_power: money,
    total_balance: money,
    max_withdrawal_amount: money.nullish(),
  }),
});
