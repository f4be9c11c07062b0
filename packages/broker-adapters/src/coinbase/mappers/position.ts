import { Decimal, type Position } from '@perps-bot/core';
import type { CfmPosition, IntxPosition } from '../schemas/positions.js';

const ZERO = new Decimal(0);

/**
 * CFM sizes are in contracts (BIP = 0.01 BTC each); quantity stays in contracts, like order sizes there. The
 * direction is `side` = LONG or SHORT (the SDK's `FuturesPositionSide` also names `UNKNOWN`); any other value
 * says nothing about the direction, so the position is not taken for a long: null, and the caller warns.
 * CFM positions carry no `leverage` field (SDK `CFMPosition`), so leverage is null here.
 */
export function fromCfmPosition(position: CfmPosition): Position | null {
  const side = position.side.toUpperCase().replace(/^FUTURES_POSITION_SIDE_/, '');
  if (side !== 'LONG' && side !== 'SHORT') return null;
  const short = side === 'SHORT';
  const size = position.number_of_contracts.abs();
  if (size.isZero()) return null;
  return {
    symbol: position.product_id,
    quantity: short ? size.negated() : size,
    entryPrice: position.avg_entry_price,
    markPrice: position.current_price,
    unrealizedPnl: position.unrealized_pnl ?? ZERO,
    realizedPnl: position.daily_realized_pnl ?? ZERO,
    leverage: null,
    side: short ? 'short' : 'long',
  };
}

/** INTX reports `net_size` with the direction in `position_side` (`POSITION_SIDE_SHORT`…). */
export function fromIntxPosition(position: IntxPosition): Position | null {
  const short = position.position_side.toUpperCase().includes('SHORT') || position.net_size.isNegative();
  const size = position.net_size.abs();
  if (size.isZero()) return null;
  return {
    symbol: position.product_id || position.symbol,
    quantity: short ? size.negated() : size,
    entryPrice: position.entry_vwap ?? position.vwap ?? position.mark_price,
    markPrice: position.mark_price,
    unrealizedPnl: position.unrealized_pnl ?? ZERO,
    realizedPnl: position.aggregated_pnl ?? ZERO,
    leverage: position.leverage ? position.leverage.toNumber() : null,
    side: short ? 'short' : 'long',
  };
}
