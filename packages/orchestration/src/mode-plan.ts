import { readBooleanFlag, readMarketDataMode, type MarketDataMode } from '@perps-bot/core';
import { readExecutionMode, type ExecutionMode } from './execution/execution-mode.js';
import { EXECUTION_SHADOW_PERCENT, MARKS_SHADOW_PERCENT, readShadowPercent } from './experiments/ramp.js';

/** Which code updates marks over REST each cycle (USE_NEW_MARKET_DATA_SERVICE). */
export type RestMarksMode = MarketDataMode;
/** Which loop ingests streamed marks when streaming runs (USE_NEW_STREAMING_SERVICE). */
export type StreamingMode = 'new' | 'legacy';

/**
 * The one decision of which implementation runs each extracted part of the bot, made once at initialisation
 * from the feature flags. One field per experiment: REST marks, streaming, execution.
 * PerpsBot acts on it; the app prints it (banner, print-config, /status), so what runs and what is shown
 * cannot disagree.
 */
export interface ModePlan {
  readonly restMarks: RestMarksMode;
  readonly streaming: StreamingMode;
  /** Which executor places orders (USE_NEW_EXECUTION_SERVICE); independent of the mark flags. */
  readonly execution: ExecutionMode;
  /**
   * The share of cycles (0–100) on which each shadow runs its candidate (…_SHADOW_PERCENT, default 100);
   * only acted on in shadow mode.
   */
  readonly shadowPercent: { readonly restMarks: number; readonly execution: number };
  /** Why each part runs as it does, one sentence per decision, in plain words an operator can act on. */
  readonly reasons: readonly string[];
  /** True when a flag was overruled (today: the streaming flag under a full rollback); the app warns. */
  readonly overruled: boolean;
}

const EXECUTION_TEXT: Record<ExecutionMode, string> = {
  service: 'execution: new (ExecutionService)',
  legacy: 'execution: legacy (OrderExecutor, frozen)',
  shadow:
    'execution: shadow (the legacy executor applies, the ExecutionService runs beside it on a paper twin and is compared)',
};

const REST_TEXT: Record<RestMarksMode, string> = {
  new: 'REST marks: new (MarketDataService)',
  legacy: 'REST marks: legacy (PerpsBot.updateMarksLegacy)',
  shadow: 'REST marks: shadow (legacy applies, the MarketDataService runs beside it and is compared)',
};

/**
 * Every combination, with its rule:
 *
 * | USE_NEW_MARKET_DATA_SERVICE | USE_NEW_STREAMING_SERVICE | REST marks | streaming |
 * | --- | --- | --- | --- |
 * | true (default) | true (default) | new | new |
 * | true | false | new | legacy |
 * | shadow | true | shadow | new |
 * | shadow | false | shadow | legacy |
 * | false (anything else) | true | legacy | legacy — the rollback rule, overruling the streaming flag |
 * | false | false | legacy | legacy |
 *
 * The rollback rule is the reference's: its StreamingService existed only beside a MarketDataService, so
 * turning the service off rolled the whole mark pipeline back to the pre-extraction code. It is kept because
 * an operator who rolls back expects every extracted mark path gone; it is stated in `reasons` and flagged
 * as `overruled` so it is never silent.
 *
 * USE_NEW_EXECUTION_SERVICE is independent of both (true or unset: new; false: legacy; shadow); any other
 * value is a ConfigError here, at initialisation, so a typo never picks the path that places orders.
 */
export function planModes(env: NodeJS.ProcessEnv = process.env): ModePlan {
  const restMarks = readMarketDataMode(env);
  const execution = readExecutionMode(env);
  const shadowPercent = {
    restMarks: readShadowPercent(MARKS_SHADOW_PERCENT, env),
    execution: readShadowPercent(EXECUTION_SHADOW_PERCENT, env),
  };
  const streamingFlag = readBooleanFlag('USE_NEW_STREAMING_SERVICE', true, env);
  const reasons = [
    REST_TEXT[restMarks] + rampText(restMarks === 'shadow', MARKS_SHADOW_PERCENT, shadowPercent.restMarks, env),
  ];
  const executionReason =
    EXECUTION_TEXT[execution] +
    rampText(execution === 'shadow', EXECUTION_SHADOW_PERCENT, shadowPercent.execution, env);
  if (restMarks === 'legacy' && streamingFlag) {
    reasons.push(
      'streaming: legacy (the pre-extraction loop), although USE_NEW_STREAMING_SERVICE is on: USE_NEW_MARKET_DATA_SERVICE=false rolls the whole mark pipeline back; set it to true or shadow to use the StreamingService',
    );
    reasons.push(executionReason);
    return { restMarks, streaming: 'legacy', execution, shadowPercent, reasons, overruled: true };
  }
  const streaming: StreamingMode = streamingFlag ? 'new' : 'legacy';
  reasons.push(
    streaming === 'new'
      ? 'streaming: new (StreamingService, reconnects)'
      : 'streaming: legacy (the pre-extraction loop, never reconnects)',
  );
  reasons.push(executionReason);
  return { restMarks, streaming, execution, shadowPercent, reasons, overruled: false };
}

/** The ramp-up's part of a reason: the share in shadow mode, or that a set share is not acted on. */
function rampText(shadow: boolean, name: string, percent: number, env: NodeJS.ProcessEnv): string {
  if (shadow) return percent === 100 ? '; candidate on every cycle' : `; candidate on ${percent} % of cycles (${name})`;
  return env[name]?.trim() ? `; ${name} is ignored outside shadow mode` : '';
}
