import type { Runner, ScenarioKind } from '../kind.js';
import { markUpdateScenarios } from '../../scenarios/mark-update/index.js';
import { MARK_UPDATE_CHANNELS, runMarkUpdateOnBot } from './run-on-bot.js';
import { parseMarkUpdateScenario, type MarkUpdateScenario } from './scenario.js';

export const legacyRunner: Runner<MarkUpdateScenario> = {
  name: 'legacy',
  description: 'PerpsBot.updateMarksLegacy (USE_NEW_MARKET_DATA_SERVICE=false): the control',
  run: (scenario) => runMarkUpdateOnBot(scenario, { mode: 'legacy' }),
};

export const serviceRunner: Runner<MarkUpdateScenario> = {
  name: 'service',
  description: 'MarketDataService through PerpsBot (USE_NEW_MARKET_DATA_SERVICE=true), one quote in flight',
  run: (scenario) => runMarkUpdateOnBot(scenario, { mode: 'new' }),
};

export const concurrentServiceRunner: Runner<MarkUpdateScenario> = {
  name: 'service-concurrent',
  description: 'MarketDataService with quoteConcurrency 4: quotes prefetched concurrently, effects applied in symbol order',
  run: (scenario) => runMarkUpdateOnBot(scenario, { mode: 'new', quoteConcurrency: 4 }),
};

/**
 * PerpsBot in shadow mode: legacy applies its effects, the service runs beside it and every difference
 * throws. Its recording must equal the golden file (the candidate's effects are never applied twice) and
 * every comparison must have matched.
 */
export const shadowRunner: Runner<MarkUpdateScenario> = {
  name: 'shadow',
  description: 'USE_NEW_MARKET_DATA_SERVICE=shadow: legacy applied, the service compared on the same quotes',
  run: (scenario) =>
    runMarkUpdateOnBot(scenario, {
      mode: 'shadow',
      quoteConcurrency: 2,
      botOptions: { shadow: { throwOnMismatch: true } },
      after: (bot) => {
        const report = bot.shadowReport();
        if (!report || report.cycles !== scenario.cycles || report.matched !== report.runs || report.candidateErrors !== 0) {
          throw new Error(`shadow report is not all-matched: ${JSON.stringify(report)}`);
        }
      },
    }),
};

/** REST mark updates (Phase 1): legacy control, the service as candidate, sequential and concurrent. */
export const markUpdateKind: ScenarioKind<MarkUpdateScenario> = {
  name: 'mark-update',
  description: 'PerpsBot.updateMarks over scripted quotes: broker calls, window appends, risk writes, logs, event-store writes',
  channels: MARK_UPDATE_CHANNELS,
  scenarios: markUpdateScenarios,
  control: legacyRunner,
  candidates: [serviceRunner, concurrentServiceRunner, shadowRunner],
  parse: parseMarkUpdateScenario,
};
