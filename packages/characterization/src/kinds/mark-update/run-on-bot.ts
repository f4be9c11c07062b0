import { Decimal, MemoryEventStore, MemoryLogger, type Brokerage, type MarketDataMode } from '@perps-bot/core';
import { DEFAULT_BOT_CONFIG, PerpsBot, ServiceRegistry, type PerpsBotOptions } from '@perps-bot/orchestration';
import type { Recording } from '../kind.js';
import { Recorder } from '../../recorder/recorder.js';
import { recordWindowAppends } from '../../recorder/window-appends.js';
import type { MarkUpdateScenario } from './scenario.js';
import { scriptedBrokerFor, type ScriptedBroker } from '../../fixtures/scripted-broker.js';
import { checkUnsubscribe, checkWindowReads } from '../../recorder/window-checks.js';
import { TickingClock } from '../../fixtures/ticking-clock.js';
import { ScriptedRiskManager } from '../../fixtures/scripted-risk.js';

export const MARK_UPDATE_CHANNELS = ['brokerCalls', 'effects'] as const;

export interface BotRunOptions {
  readonly mode: MarketDataMode;
  readonly quoteConcurrency?: number;
  readonly quoteBatching?: boolean;
  /** Extra PerpsBot options (the shadow runner passes its settings here). */
  readonly botOptions?: Partial<Omit<PerpsBotOptions, 'config' | 'registry' | 'logger' | 'clock' | 'env'>>;
  /** Called after initialisation and scene setting, before the first cycle: lets a test break a candidate on purpose. */
  readonly patch?: (bot: PerpsBot) => void;
  /** Called after the last cycle (the shadow runner checks its report here; the concurrent one, the overlap). */
  readonly after?: (bot: PerpsBot, broker: ScriptedBroker) => void;
}

const FLAG: Record<MarketDataMode, string> = { legacy: 'false', new: 'true', shadow: 'shadow' };

/**
 * Runs a scenario through PerpsBot.updateMarks() with USE_NEW_MARKET_DATA_SERVICE set for the given mode, every
 * collaborator behind a recording proxy: broker → `brokerCalls`; risk writes, logs, event-store writes and
 * window appends → `effects`. Nothing comes from wall time: the clock is the scenario's manual clock.
 */
export async function runMarkUpdateOnBot(scenario: MarkUpdateScenario, options: BotRunOptions): Promise<Recording> {
  const recorder = new Recorder(MARK_UPDATE_CHANNELS);
  const clock = new TickingClock(scenario.clock.start, scenario.clock.readMs, scenario.clock.readings);
  const { broker: scriptedBroker, scripted } = scriptedBrokerFor(scenario);
  const broker = recorder.proxy(scriptedBroker, { name: 'broker', channel: 'brokerCalls' });
  const risk = new ScriptedRiskManager(clock, scenario.risk);
  const riskProxy = recorder.proxy(risk, { name: 'risk', channel: 'effects', methods: ['recordMarkUpdate'] });
  const logger = recorder.proxy(new MemoryLogger(), {
    name: 'log',
    channel: 'effects',
    methods: ['debug', 'info', 'warn', 'error'],
  });
  const eventStore = recorder.proxy(new MemoryEventStore({ clock }), {
    name: 'eventStore',
    channel: 'effects',
    methods: ['appendMetric', 'appendEvent'],
  });

  const bot = new PerpsBot({
    config: {
      ...DEFAULT_BOT_CONFIG,
      symbols: scenario.symbols,
      shortMa: scenario.shortMa,
      longMa: scenario.longMa,
      quoteConcurrency: options.quoteConcurrency ?? 1,
      quoteBatching: options.quoteBatching ?? false,
    },
    registry: new ServiceRegistry({
      broker: broker as unknown as Brokerage,
      ...(scenario.without?.includes('riskManager') ? {} : { riskManager: riskProxy }),
      ...(scenario.without?.includes('eventStore') ? {} : { eventStore }),
    }),
    logger,
    clock,
    env: { USE_NEW_MARKET_DATA_SERVICE: FLAG[options.mode] },
    ...options.botOptions,
  });
  await bot.initialize();
  setScene(bot, scenario);
  options.patch?.(bot);

  const stop = recordWindowAppends(recorder, bot.markWindows);
  try {
    if (scenario.heldForNextCycle) await runOverlapping(bot, scripted, scenario, recorder, clock);
    else
      for (let cycle = 0; cycle < scenario.cycles; cycle++) {
        recorder.setPhase(cycle);
        if (cycle > 0) clock.advance(scenario.clock.stepMs);
        await bot.updateMarks();
      }
  } finally {
    stop();
  }
  options.after?.(bot, scripted);
  checkWindowReads(bot.markWindows);
  checkUnsubscribe();
  if (bot.marketDataService && bot.marketDataService.symbols !== bot.symbols)
    throw new Error("the MarketDataService does not hold the bot's symbol list");
  return {
    channels: recorder.channels(),
    final: {
      windows: recorder.scrubber.scrub(bot.markWindows.snapshot()),
      riskTimestamps: recorder.scrubber.scrub(risk.lastMarkUpdate),
    },
  };
}

/** Puts the windows and the symbol list in the state the scenario asks for, after initialisation. */
function setScene(bot: PerpsBot, scenario: MarkUpdateScenario): void {
  for (const [symbol, marks] of Object.entries(scenario.initialWindows ?? {})) {
    bot.markWindows.delete(symbol);
    if (marks === null) continue;
    // Restored untrimmed: pre-filled windows may be longer than the bot's limit, and must stay so until the next append.
    bot.markWindows.restore(
      symbol,
      marks.map((mark) => new Decimal(mark)),
    );
  }
  for (const symbol of scenario.symbolsAddedAfterInit ?? []) bot.symbols.push(symbol);
}

/**
 * The cycles when answers are held for the next cycle (`heldForNextCycle`): a cycle holding one is left
 * waiting while the next starts; once that one has done all it can (no unheld answer in flight), the held
 * answers arrive and the waiting cycle ends. Each step waits on the scripted broker, never on time.
 */
async function runOverlapping(
  bot: PerpsBot,
  broker: ScriptedBroker,
  scenario: MarkUpdateScenario,
  recorder: Recorder,
  clock: TickingClock,
): Promise<void> {
  let waiting: { run: Promise<void>; releases: (() => void)[] } | undefined;
  for (let cycle = 0; cycle < scenario.cycles; cycle++) {
    recorder.setPhase(cycle);
    if (cycle > 0) clock.advance(scenario.clock.stepMs);
    const run = bot.updateMarks();
    await broker.settle();
    if (waiting) {
      for (const release of waiting.releases) release();
      await waiting.run;
      await broker.settle();
    }
    const releases = broker.takeHeld();
    if (releases.length > 0) waiting = { run, releases };
    else {
      await run;
      waiting = undefined;
    }
  }
  if (waiting) {
    for (const release of waiting.releases) release();
    await waiting.run;
  }
}
