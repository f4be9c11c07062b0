import { ZERO, type Balance, type Decimal, type Position } from '@perps-bot/core';

/** The reference's cash: the total of the first USD or USDC balance (zero when there is none). */
export function cashEquity(balances: readonly Balance[]): Decimal {
  const cash = balances.find((b) => b.asset === 'USD' || b.asset === 'USDC');
  return cash ? cash.total : ZERO;
}

/**
 * The account's equity for the daily loss limit: cash plus every open position's unrealised P&L. Futures and
 * perpetuals are margin accounts (cash moves only by realised P&L and fees), so this is what the exchange
 * reports as equity, and it does not jump when a position opens or closes; a notional-based figure would,
 * and closing a position would then look like a loss of its whole notional.
 */
export function accountEquity(balances: readonly Balance[], positions: readonly Position[]): Decimal {
  return positions.reduce((sum, p) => sum.plus(p.unrealizedPnl), cashEquity(balances));
}

/**
 * The equity one symbol is traded against, as the reference computed it: cash plus this symbol's position
 * value. The value of a futures position is contracts × mark × contract size (the reference's products were
 * always synthetic with contract size 1, so it multiplied by the mark alone).
 */
export function symbolEquity(
  cash: Decimal,
  quantity: Decimal | undefined,
  mark: Decimal,
  contractSize: Decimal,
): Decimal {
  if (!quantity) return cash;
  return cash.plus(
    quantity
      .abs()
      .times(mark)
      .times(contractSize.isZero() ? 1 : contractSize),
  );
}
