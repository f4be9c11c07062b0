import { MAX_QUOTES_PER_BATCH } from '@perps-bot/core';
import type { Json } from '../../json/canonical.js';
import type { KindDefinition, Recording, Runner } from '../kind.js';
import { MARK_UPDATE_CHANNELS, runMarkUpdateOnBot } from './run-on-bot.js';
import { parseMarkUpdateScenario, type MarkUpdateScenario } from './scenario.js';

export const legacyRunner: Runner<MarkUpdateScenario> = {
  name: 'legacy',
  description: 'PerpsBot.updateMarksLegacy (USE_NEW_MARKET_DATA_SERVICE=false): the control',
  run: (scenario) => runMarkUpdateOnBot(scenario, { mode: 'legacy' }),
};

const serviceRunner: Runner<MarkUpdateScenario> = {
  name: 'service',
  description: 'MarketDataService through PerpsBot (USE_NEW_MARKET_DATA_SERVICE=true), one quote in flight',
  run: (scenario) => runMarkUpdateOnBot(scenario, { mode: 'new' }),
};

const concurrentServiceRunner: Runner<MarkUpdateScenario> = {
  name: 'service-concurrent',
  description:
    'MarketDataService with quoteConcurrency 4: quotes prefetched concurrently, effects applied in symbol order',
  run: (scenario) =>
    runMarkUpdateOnBot(scenario, {
      mode: 'new',
      quoteConcurrency: 4,
      // Concurrent means concurrent: quotes that could overlap did (a candidate turned sequential fails here).
      after: (_bot, broker) => {
        const symbols = [...scenario.symbols, ...(scenario.symbolsAddedAfterInit ?? [])];
        // A synchronous throw never puts a request in flight, so such scenarios prove nothing here.
        const syncThrows = Object.values(scenario.quotes).some((answers) =>
          answers.some((a) => a.type === 'throw' && a.sync),
        );
        const atLeast = scenario.cycles === 0 || syncThrows ? 0 : Math.min(2, symbols.length);
        if (broker.maxInFlight < atLeast)
          throw new Error(
            `service-concurrent had at most ${broker.maxInFlight} quote(s) in flight, expected ${atLeast} or more`,
          );
      },
    }),
};

/**
 * The service with quoteBatching: one getQuotes request per cycle. Its effects and final state must equal the
 * golden ones; its broker calls cannot (one batch instead of one call per symbol), so `brokerCalls` is excluded
 * from the comparison by name and checked here instead: exactly the batches the scenario calls for.
 */
const batchedServiceRunner: Runner<MarkUpdateScenario> = {
  name: 'service-batched',
  description: 'MarketDataService with quoteBatching: one getQuotes request per cycle, effects applied in symbol order',
  excludedChannels: {
    brokerCalls:
      'one getQuotes call per cycle instead of one getQuote per symbol, by design; checked by expectBatchedCalls',
  },
  notFor: (scenario) => {
    const held = Object.keys(scenario.heldForNextCycle ?? {});
    const onTime = scenario.symbols.filter((s) => !held.includes(s));
    return held.length > 0 && onTime.length > 0
      ? `one getQuotes request answers ${scenario.symbols.join(' and ')} at once: it cannot be late for ${held.join(', ')} and on time for ${onTime.join(', ')}`
      : undefined;
  },
  run: async (scenario) => {
    const recording = await runMarkUpdateOnBot(scenario, { mode: 'new', quoteBatching: true });
    expectBatchedCalls(scenario, recording.channels.brokerCalls ?? []);
    return recording;
  },
};

/**
 * The batched runner's broker calls: per cycle, one getQuotes per chunk of MAX_QUOTES_PER_BATCH symbols, or,
 * when a symbol is listed twice (a batch answers a symbol once) or the broker has no getQuotes, one getQuote
 * per symbol in order; nothing for no symbols.
 */
function expectBatchedCalls(scenario: MarkUpdateScenario, calls: readonly Json[]): void {
  const symbols = [...scenario.symbols, ...(scenario.symbolsAddedAfterInit ?? [])];
  const batched = new Set(symbols).size === symbols.length && scenario.broker?.batch !== 'absent';
  const chunks: string[][] = [];
  for (let i = 0; i < symbols.length; i += MAX_QUOTES_PER_BATCH)
    chunks.push(symbols.slice(i, i + MAX_QUOTES_PER_BATCH));
  const perCycle = batched
    ? chunks.map((chunk) => ({ effect: 'broker.getQuotes', args: [chunk] }))
    : symbols.map((s) => ({ effect: 'broker.getQuote', args: [s] }));
  const expected = Array.from({ length: scenario.cycles }, (_, cycle) => perCycle.map((call) => ({ ...call, cycle })));
  const received = calls.map((c) => {
    const { effect, args, cycle } = c as { effect: Json; args: Json; cycle: Json };
    return { effect, args, cycle };
  });
  if (JSON.stringify(received) !== JSON.stringify(expected.flat())) {
    throw new Error(`service-batched made unexpected broker calls in ${scenario.name}: ${JSON.stringify(received)}`);
  }
}

/**
 * PerpsBot in shadow mode: legacy applies its effects, the service runs beside it and every difference
 * throws. Its recording must equal the golden file (the candidate's effects are never applied twice) and
 * every comparison must have matched.
 */
const shadowRunner: Runner<MarkUpdateScenario> = {
  name: 'shadow',
  description: 'USE_NEW_MARKET_DATA_SERVICE=shadow: legacy applied, the service compared on the same quotes',
  run: async (scenario) => {
    // Overlapping cycles (`heldForNextCycle`) hit the shadow's known limit (ShadowMarketData): what the next
    // cycle appends while this one's control awaits is seen as this control's effect, so they mismatch. There
    // the recording less the shadow's own mismatch warnings must still equal the golden file (only the
    // control is applied), and the report must have seen every cycle.
    const overlapping = scenario.heldForNextCycle !== undefined;
    const recording = await runMarkUpdateOnBot(scenario, {
      mode: 'shadow',
      quoteConcurrency: 2,
      // Its experiment records are the shadow's own output, not an effect of the code under test: kept apart.
      botOptions: { shadow: { throwOnMismatch: !overlapping, record: () => {} } },
      after: (bot) => {
        const report = bot.shadowReport();
        if (
          !report ||
          report.cycles !== scenario.cycles ||
          (!overlapping && (report.matched !== report.runs || report.candidateErrors !== 0))
        ) {
          throw new Error(`shadow report is not all-matched: ${JSON.stringify(report)}`);
        }
      },
    });
    return overlapping ? withoutShadowWarnings(recording) : recording;
  },
};

/** The recording without the shadow's "Shadow mismatch for …" warnings (its output, not the control's effects). */
function withoutShadowWarnings(recording: Recording): Recording {
  const effects = recording.channels.effects ?? [];
  const own = (e: Json): boolean => {
    const { effect, args } = e as { effect?: Json; args?: Json[] };
    return effect === 'log.warn' && String(args?.[0]).startsWith('Shadow mismatch for ');
  };
  return { ...recording, channels: { ...recording.channels, effects: effects.filter((e) => !own(e)) } };
}

/** REST mark updates (Phase 1): legacy control, the service as candidate, sequential and concurrent. */
export const markUpdateKind: KindDefinition<MarkUpdateScenario> = {
  name: 'mark-update',
  description:
    'PerpsBot.updateMarks over scripted quotes: broker calls, window appends, risk writes, logs, event-store writes',
  channels: MARK_UPDATE_CHANNELS,
  control: legacyRunner,
  candidates: [serviceRunner, concurrentServiceRunner, batchedServiceRunner, shadowRunner],
  parse: parseMarkUpdateScenario,
};
