import {
  EXECUTION_SHADOW_PERCENT,
  MARKS_SHADOW_PERCENT,
  planModes,
  type ExecutionMode,
  type RestMarksMode,
} from '@perps-bot/orchestration';

export interface FeatureFlagView {
  readonly name: string;
  /** The variable as set, or undefined (the default applies). */
  readonly raw: string | undefined;
  /** What applies when it is not set. */
  readonly defaultValue: string;
  readonly effective: string;
}

const MODE_TEXT: Record<RestMarksMode, string> = {
  new: 'new (MarketDataService)',
  legacy: 'legacy (PerpsBot.updateMarksLegacy)',
  shadow: 'shadow (legacy applies, the service runs beside it)',
};

const EXECUTION_TEXT: Record<ExecutionMode, string> = {
  service: 'new (ExecutionService)',
  legacy: 'legacy (OrderExecutor, frozen)',
  shadow: 'shadow (legacy executor applies, the service runs beside it on a paper twin)',
};

/**
 * The runtime flags as the bot will act on them at initialisation: the same ModePlan PerpsBot builds, so the
 * banner, print-config and /status say what runs, including a flag the plan overrules.
 */
export function featureFlags(env: NodeJS.ProcessEnv, streamingEnabled: boolean): FeatureFlagView[] {
  const plan = planModes(env);
  const streaming = plan.overruled
    ? 'off (USE_NEW_MARKET_DATA_SERVICE=false rolls streaming back to the legacy loop too)'
    : plan.streaming === 'new'
      ? 'on'
      : 'off';
  return [
    {
      name: 'USE_NEW_MARKET_DATA_SERVICE',
      raw: env.USE_NEW_MARKET_DATA_SERVICE,
      defaultValue: 'true',
      effective: MODE_TEXT[plan.restMarks],
    },
    {
      name: 'USE_NEW_STREAMING_SERVICE',
      raw: env.USE_NEW_STREAMING_SERVICE,
      defaultValue: 'true',
      effective: `${streaming}${streamingEnabled ? '' : ' (streaming itself is off: enableStreaming=false)'}`,
    },
    {
      name: MARKS_SHADOW_PERCENT,
      raw: env[MARKS_SHADOW_PERCENT],
      defaultValue: '100',
      effective: rampText(plan.restMarks === 'shadow', plan.shadowPercent.restMarks),
    },
    {
      name: 'USE_NEW_EXECUTION_SERVICE',
      raw: env.USE_NEW_EXECUTION_SERVICE,
      defaultValue: 'true',
      effective: EXECUTION_TEXT[plan.execution],
    },
    {
      name: EXECUTION_SHADOW_PERCENT,
      raw: env[EXECUTION_SHADOW_PERCENT],
      defaultValue: '100',
      effective: rampText(plan.execution === 'shadow', plan.shadowPercent.execution),
    },
  ];
}

/** The ramp-up share as it acts: only in shadow mode. */
function rampText(shadow: boolean, percent: number): string {
  return shadow ? `candidate on ${percent} % of cycles` : `${percent} % (not acted on: not in shadow mode)`;
}
