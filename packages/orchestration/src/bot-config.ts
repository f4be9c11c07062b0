import type { TimeInForce } from '@perps-bot/core';

export type Profile = 'dev' | 'canary' | 'prod';

/** What PerpsBot needs to know; the app builds it from defaults, profile, file, environment and flags. */
export interface BotConfig {
  readonly profile: Profile;
  readonly symbols: readonly string[];
  readonly shortMa: number;
  readonly longMa: number;
  readonly dryRun: boolean;
  /** Seconds between cycles. */
  readonly updateInterval: number;
  readonly targetLeverage: number;
  readonly trailingStopPct: number;
  readonly enableShorts: boolean;
  readonly maxLeverage: number;
  readonly reduceOnlyMode: boolean;
  readonly timeInForce: TimeInForce;
  /** How many quote requests the MarketDataService keeps in flight (1 = the reference's sequential loop). */
  readonly quoteConcurrency: number;
  /**
   * One getQuotes request per cycle for all symbols when the broker has one (Coinbase's products list with
   * `product_ids`, whose price is the last trade, as the single ticker quote's); otherwise, or when false, one
   * request per symbol. The service's effects are the same for the same answers. On by default.
   */
  readonly quoteBatching: boolean;
  /** Stream marks over WebSocket (the app's enableStreaming, PERPS_ENABLE_STREAMING); see MarkPipeline.startStreaming. */
  readonly enableStreaming: boolean;
  /** Orderbook depth of the stream: 1 = ticker, ≥2 = level2 (PERPS_STREAM_LEVEL); 0 or unset means 1. */
  readonly streamLevel: number;
}

export const DEFAULT_BOT_CONFIG: BotConfig = {
  profile: 'dev',
  symbols: ['BTC-PERP', 'ETH-PERP'],
  shortMa: 5,
  longMa: 20,
  dryRun: true,
  updateInterval: 5,
  targetLeverage: 2,
  trailingStopPct: 0.01,
  enableShorts: false,
  maxLeverage: 3,
  reduceOnlyMode: false,
  timeInForce: 'GTC',
  quoteConcurrency: 1,
  quoteBatching: true,
  enableStreaming: false,
  streamLevel: 1,
};
