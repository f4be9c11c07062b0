import { ManualClock, MemoryLogger, type Brokerage } from '@perps-bot/core';
import { ScriptedStreamSource, type StreamStepAt } from '@perps-bot/market-data/testing';
import { DEFAULT_BOT_CONFIG, PerpsBot, ServiceRegistry } from '@perps-bot/orchestration';
import { Recorder } from '../../recorder/recorder.js';
import { recordWindowAppends } from '../../recorder/window-appends.js';
import type { Recording } from '../kind.js';
import { ScriptedRiskManager } from '../../fixtures/scripted-risk.js';
import type { LoggerScript, StreamScenario } from './scenario.js';
import { ScriptedEventStore } from '../../fixtures/scripted-event-store.js';

export const STREAM_CHANNELS = ['effects'] as const;

/** Every scenario's manual clock starts here; `gapMs` steps and reconnect waits move it. */
export const STREAM_CLOCK_START = '2026-03-01T12:00:00.000Z';

export interface StreamRunOptions {
  /** USE_NEW_STREAMING_SERVICE: 'false' → the legacy loop (control), 'true' → the StreamingService. */
  readonly flag: 'true' | 'false';
  /** Called after initialisation, before the first message: lets a test break the candidate on purpose. */
  readonly patch?: (bot: PerpsBot) => void;
}

/** A broker that is never asked for anything: stream scenarios make no REST calls (a call would be recorded). */
const noRestBroker = {
  name: 'stream-only',
  getQuote: () => Promise.reject(new Error('stream scenarios make no REST calls')),
};

/**
 * Runs a stream scenario through a real PerpsBot (canary profile, streaming on, level from the scenario) with
 * USE_NEW_STREAMING_SERVICE set by `flag`, and records, in one ordered channel: stream opens, window appends
 * (MarkWindows.observe), market-monitor heartbeats, risk writes, event-store writes and logs, each through a
 * recording proxy. Each entry's `at` is the scripted step the source played last ("conn 0 step 3"), "init"
 * before any, "stop" once the scenario stops the bot, "shutdown" at the end.
 *
 * Nothing depends on wall time: the clock is a ManualClock that `gapMs` steps (and the StreamingService's
 * reconnect waits) move. The source holds every message until the recorders are attached. A run ends when
 * the loop has written ws_stream_exit, or the source sits idle with everything delivered, or the scenario's
 * stop has completed; then the bot shuts down.
 */
export async function runStreamOnBot(scenario: StreamScenario, options: StreamRunOptions): Promise<Recording> {
  const recorder = new Recorder(STREAM_CHANNELS, { phaseKey: 'at' });
  const clock = new ManualClock(STREAM_CLOCK_START);
  let exited: () => void = () => undefined;
  const exit = new Promise<void>((resolve) => (exited = resolve));
  let release: () => void = () => undefined;
  const hold = new Promise<void>((resolve) => (release = resolve));
  let stopped: Promise<void> | undefined;

  const lifecycle = scenario.lifecycle ?? [];
  const onStep = ({ connection, index }: StreamStepAt): void => {
    recorder.setPhase(`conn ${connection} step ${index}`);
    const stop = scenario.stopAt;
    // Steps play only after `release()`, by which time `bot` (declared below) exists.
    for (const l of lifecycle) {
      if ('startAgainAt' in l && l.startAgainAt.connection === connection && l.startAgainAt.step === index) {
        recorder.setPhase('start again');
        bot.startStreaming();
        recorder.setPhase(`conn ${connection} step ${index}`);
      }
    }
    if (stop && stop.connection === connection && stop.step === index) {
      recorder.setPhase('stop');
      stopped = bot.stopStreaming();
    }
  };
  let waits = 0;
  const stopInWait = lifecycle.flatMap((l) => ('stopInReconnectWait' in l ? [l.stopInReconnectWait] : []));
  const source = recorder.proxy(
    new ScriptedStreamSource(
      {
        connections: scenario.connections,
        openFails: scenario.openFails ?? 'none',
        whenExhausted: scenario.whenExhausted ?? 'idle',
      },
      { advance: (ms) => clock.advance(ms), hold, onStep },
    ),
    { name: 'source', channel: 'effects', methods: ['streamOrderbook', 'streamTrades'] },
  );
  const risk = new ScriptedRiskManager(clock, scenario.risk);
  const restartOnExit = lifecycle.some((l) => 'startWhenStopExits' in l);
  let restarted = false;
  const eventStore = new ScriptedEventStore(
    () => clock.now(),
    scenario.eventStore,
    (payload) => {
      if (payload.event_type !== 'ws_stream_exit') return;
      exited();
      // Once, for the scenario's own stop (not the shutdown's): start again while that stop still waits.
      if (restartOnExit && stopped !== undefined && !restarted) {
        restarted = true;
        recorder.setPhase('start again');
        bot.startStreaming();
      }
    },
  );

  const without = new Set(scenario.without ?? []);
  const bot = new PerpsBot({
    config: {
      ...DEFAULT_BOT_CONFIG,
      profile: 'canary',
      enableStreaming: true,
      streamLevel: scenario.level,
      symbols: scenario.symbols,
      shortMa: scenario.shortMa,
      longMa: scenario.longMa,
    },
    registry: new ServiceRegistry({
      broker: recorder.proxy(noRestBroker, { name: 'broker', channel: 'effects' }) as unknown as Brokerage,
      ...(without.has('riskManager')
        ? {}
        : { riskManager: recorder.proxy(risk, { name: 'risk', channel: 'effects', methods: ['recordMarkUpdate'] }) }),
      ...(without.has('eventStore')
        ? {}
        : {
            eventStore: recorder.proxy(eventStore, {
              name: 'eventStore',
              channel: 'effects',
              methods: ['appendMetric', 'appendEvent'],
            }),
          }),
    }),
    logger: recorder.proxy(scriptedLogger(scenario.logger), {
      name: 'log',
      channel: 'effects',
      methods: ['debug', 'info', 'warn', 'error'],
    }),
    clock,
    env: { USE_NEW_MARKET_DATA_SERVICE: 'true', USE_NEW_STREAMING_SERVICE: options.flag },
    streamSource: source,
    // A reconnect wait is instant but moves the manual clock by its delay, so later marks carry that time;
    // the jitter's dice are fixed at the top of the range, so the recorded delays are the plain steps.
    streaming: {
      sleep: async (ms) => {
        waits++;
        if (stopInWait.includes(waits)) {
          recorder.setPhase('stop');
          stopped = bot.stopStreaming();
        }
        clock.advance(ms);
      },
      random: () => 1,
      ...(scenario.reconnect ? { reconnect: scenario.reconnect } : {}),
    },
  });
  await bot.initialize();
  const service = bot.streamingService;
  if (service) {
    if (service.symbols !== bot.symbols) throw new Error("the StreamingService does not hold the bot's symbol list");
    // Started with symbols: the running loop is there to wait on (a bot's shutdown waits on it).
    if (scenario.symbols.length > 0 && service.done === undefined)
      throw new Error('the StreamingService started with symbols but holds no loop');
  }
  const monitor = bot.marketMonitor;
  if (monitor) {
    // The bot builds its own monitor and both loops call it through the bot's reference: replace the
    // method on that instance with the recording proxy's (which calls the class's method on the instance).
    monitor.recordUpdate = recorder.proxy(monitor, {
      name: 'monitor',
      channel: 'effects',
      methods: ['recordUpdate'],
    }).recordUpdate;
  }
  const unobserve = recordWindowAppends(recorder, bot.markWindows);
  options.patch?.(bot);
  try {
    release();
    // A stop (scenario or end of script) always ends in ws_stream_exit; a source that went idle has delivered everything.
    // With no symbols neither loop starts, so there is nothing to wait for.
    if (scenario.symbols.length > 0) await Promise.race([source.whenIdle(), exit]);
    await stopped;
    // A restart after the stop plays its connection before the bot shuts down.
    if (restarted) await source.whenIdle();
    recorder.setPhase('shutdown');
    await bot.shutdown();
    // Stopped for good: the service forgets its loop, so a later start is a fresh one.
    if (service?.done !== undefined) throw new Error('the StreamingService still holds its loop after the shutdown');
  } finally {
    unobserve();
  }
  return {
    channels: recorder.channels(),
    final: {
      windows: recorder.scrubber.scrub(bot.markWindows.snapshot()),
      riskTimestamps: recorder.scrubber.scrub(risk.lastMarkUpdate),
    },
  };
}

/** The bot's logger; with a script, one of its methods throws for the records it names (a broken log sink). */
function scriptedLogger(script: LoggerScript | undefined): MemoryLogger {
  const logger = new MemoryLogger();
  if (script === undefined) return logger;
  const original = logger[script.level].bind(logger);
  logger[script.level] = (message: string, fields?: Parameters<MemoryLogger['info']>[1]): void => {
    if (message.startsWith(script.startsWith)) throw new Error(script.message);
    original(message, fields);
  };
  return logger;
}
