import { readBooleanFlag, readMarketDataMode, type MarketDataMode } from '@perps-bot/core';
import { readExecutionMode, type ExecutionMode } from '@perps-bot/orchestration';

export interface FeatureFlagView {
  readonly name: string;
  /** The variable as set, or undefined (the default applies). */
  readonly raw: string | undefined;
  readonly effective: string;
}

const MODE_TEXT: Record<MarketDataMode, string> = {
  new: 'new (MarketDataService)',
  legacy: 'legacy (PerpsBot.updateMarksLegacy)',
  shadow: 'shadow (legacy applies, the service runs beside it)',
};

const EXECUTION_TEXT: Record<ExecutionMode, string> = {
  service: 'new (ExecutionService)',
  legacy: 'legacy (OrderExecutor, frozen)',
  shadow: 'shadow (legacy executor applies, the service runs beside it on a paper twin)',
};

/** The runtime flags as the bot will read them at initialisation (same parsing as PerpsBot). */
export function featureFlags(env: NodeJS.ProcessEnv, streamingEnabled: boolean): FeatureFlagView[] {
  const streaming = readBooleanFlag('USE_NEW_STREAMING_SERVICE', true, env);
  return [
    { name: 'USE_NEW_MARKET_DATA_SERVICE', raw: env.USE_NEW_MARKET_DATA_SERVICE, effective: MODE_TEXT[readMarketDataMode(env)] },
    {
      name: 'USE_NEW_STREAMING_SERVICE',
      raw: env.USE_NEW_STREAMING_SERVICE,
      effective: `${streaming ? 'on' : 'off'}${streamingEnabled ? '' : ' (streaming itself is off: enableStreaming=false)'}`,
    },
    { name: 'USE_NEW_EXECUTION_SERVICE', raw: env.USE_NEW_EXECUTION_SERVICE, effective: EXECUTION_TEXT[readExecutionMode(env)] },
  ];
}
