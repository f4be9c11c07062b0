import { ConfigError } from '@perps-bot/core';
import type { CandleGranularity } from './rest-client.js';

/**
 * Coinbase's candle granularities and their length: the one table, read by the adapter (to refuse an unknown
 * one before a request) and by the exchange simulator (to answer like Coinbase). FOUR_HOUR is left out: the
 * reference could not confirm it.
 */
export const CANDLE_GRANULARITY_SECONDS: Readonly<Record<CandleGranularity, number>> = {
  ONE_MINUTE: 60,
  FIVE_MINUTE: 300,
  FIFTEEN_MINUTE: 900,
  THIRTY_MINUTE: 1800,
  ONE_HOUR: 3600,
  TWO_HOUR: 7200,
  SIX_HOUR: 21600,
  ONE_DAY: 86400,
};

const SHORTHAND: Record<string, CandleGranularity> = {
  '1m': 'ONE_MINUTE',
  '5m': 'FIVE_MINUTE',
  '15m': 'FIFTEEN_MINUTE',
  '30m': 'THIRTY_MINUTE',
  '1h': 'ONE_HOUR',
  '2h': 'TWO_HOUR',
  '6h': 'SIX_HOUR',
  '1d': 'ONE_DAY',
};

/** Coinbase returns at most 350 candles per call. */
export const MAX_CANDLES = 350;

/** Accepts Coinbase's names (`ONE_MINUTE`) or the usual shorthand (`1m`, `1h`, `1d`). */
export function resolveGranularity(granularity: string): { name: CandleGranularity; seconds: number } {
  const trimmed = granularity.trim();
  const name = (SHORTHAND[trimmed.toLowerCase()] ?? trimmed.toUpperCase()) as CandleGranularity;
  const seconds = CANDLE_GRANULARITY_SECONDS[name];
  if (seconds === undefined) {
    throw new ConfigError(
      'granularity',
      `Unknown candle granularity ${JSON.stringify(granularity)}; use one of ${Object.keys(SHORTHAND).join(', ')} or ${Object.keys(CANDLE_GRANULARITY_SECONDS).join(', ')}`,
    );
  }
  return { name, seconds };
}
