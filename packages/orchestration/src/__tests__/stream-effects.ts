import { DeterministicBroker } from '@perps-bot/broker-adapters';
import { ManualClock, MemoryEventStore, type LogFields, type Logger, type LogLevel } from '@perps-bot/core';
import { ScriptedStreamSource, type StreamOpen, type StreamScript } from '@perps-bot/market-data';
import { LiveRiskManager } from '@perps-bot/risk';
import { DEFAULT_BOT_CONFIG } from '../bot-config.js';
import { PerpsBot } from '../perps-bot.js';
import { ServiceRegistry } from '../service-registry.js';

/**
 * A streaming scenario, as plain data (the golden harness will store these as its `stream` kind): the
 * bot's symbols and MA lengths, the stream level, and the script the stream source plays.
 */
export interface StreamScenario {
  readonly name: string;
  readonly symbols: readonly string[];
  readonly shortMa: number;
  readonly longMa: number;
  readonly level: number;
  readonly script: StreamScript;
  /** The named ignore rule this scenario is expected to need when legacy and new are compared, if any. */
  readonly expectRule?: string;
}

/** One side effect of a streaming run, in the order it happened. */
export type StreamEffect =
  | { readonly kind: 'open'; readonly method: StreamOpen['method']; readonly symbols: readonly string[]; readonly level?: number }
  | { readonly kind: 'log'; readonly level: LogLevel; readonly message: string; readonly fields: LogFields }
  | { readonly kind: 'window'; readonly symbol: string; readonly mark: string; readonly created: boolean; readonly dropped: number; readonly size: number }
  | { readonly kind: 'heartbeat'; readonly symbol: string }
  | { readonly kind: 'risk'; readonly symbol: string; readonly at: string }
  | { readonly kind: 'event'; readonly type: string; readonly botId: string; readonly time: string; readonly payload: Record<string, unknown> };

export interface StreamRun {
  readonly effects: StreamEffect[];
  /** Final windows, decimals as strings. */
  readonly windows: Record<string, string[]>;
}

export const SCENARIO_START = '2026-03-01T12:00:00.000Z';

class RecordingLogger implements Logger {
  constructor(private readonly effects: StreamEffect[]) {}
  debug(message: string, fields: LogFields = {}): void {
    this.effects.push({ kind: 'log', level: 'debug', message, fields });
  }
  info(message: string, fields: LogFields = {}): void {
    this.effects.push({ kind: 'log', level: 'info', message, fields });
  }
  warn(message: string, fields: LogFields = {}): void {
    this.effects.push({ kind: 'log', level: 'warn', message, fields });
  }
  error(message: string, fields: LogFields = {}): void {
    this.effects.push({ kind: 'log', level: 'error', message, fields });
  }
}

class RecordingEventStore extends MemoryEventStore {
  constructor(
    private readonly effects: StreamEffect[],
    private readonly onExit: () => void,
    clock: ManualClock,
  ) {
    super({ clock });
  }
  override appendMetric(botId: string, payload: Record<string, unknown>): void {
    super.appendMetric(botId, payload);
    const stored = this.events[this.events.length - 1];
    if (stored) this.effects.push({ kind: 'event', type: stored.type, botId, time: stored.time, payload });
    if (payload.event_type === 'ws_stream_exit') this.onExit();
  }
}

class RecordingRiskManager extends LiveRiskManager {
  constructor(
    private readonly effects: StreamEffect[],
    clock: ManualClock,
  ) {
    super({ clock });
  }
  override recordMarkUpdate(symbol: string, at: Date): void {
    this.effects.push({ kind: 'risk', symbol, at: at.toISOString() });
    super.recordMarkUpdate(symbol, at);
  }
}

/**
 * Runs a scenario through a real PerpsBot (canary profile, streaming on) with USE_NEW_STREAMING_SERVICE
 * set to `flag`, and records every side effect in order. The source holds its messages until the
 * recorders are attached, the run ends when the source has delivered everything or the loop has exited,
 * and `shutdown()` stops the stream. Reconnect waits are instant, so no run depends on wall time.
 */
export async function runStreamScenario(scenario: StreamScenario, flag: 'true' | 'false'): Promise<StreamRun> {
  const effects: StreamEffect[] = [];
  const clock = new ManualClock(SCENARIO_START);
  let exited: () => void = () => undefined;
  const exit = new Promise<void>((resolve) => (exited = resolve));
  let release: () => void = () => undefined;
  const hold = new Promise<void>((resolve) => (release = resolve));
  const source = new ScriptedStreamSource(scenario.script, {
    advance: (ms) => clock.advance(ms),
    hold,
    onOpen: (open) => effects.push({ kind: 'open', ...open }),
  });
  const bot = new PerpsBot({
    config: {
      ...DEFAULT_BOT_CONFIG,
      profile: 'canary',
      perpsEnableStreaming: true,
      perpsStreamLevel: scenario.level,
      symbols: scenario.symbols,
      shortMa: scenario.shortMa,
      longMa: scenario.longMa,
    },
    registry: new ServiceRegistry({
      broker: new DeterministicBroker({ seed: 1, clock }),
      riskManager: new RecordingRiskManager(effects, clock),
      eventStore: new RecordingEventStore(effects, () => exited(), clock),
    }),
    logger: new RecordingLogger(effects),
    clock,
    env: { USE_NEW_STREAMING_SERVICE: flag },
    streamSource: source,
    streaming: { sleep: async () => undefined },
  });
  await bot.initialize();
  bot.markWindows.observe((e) =>
    effects.push({ kind: 'window', symbol: e.symbol, mark: e.mark.toFixed(), created: e.created, dropped: e.dropped, size: e.size }),
  );
  const monitor = bot.marketMonitor;
  if (monitor) {
    const record = monitor.recordUpdate.bind(monitor);
    monitor.recordUpdate = (symbol: string) => {
      effects.push({ kind: 'heartbeat', symbol });
      record(symbol);
    };
  }
  release();
  await Promise.race([source.whenIdle(), exit]);
  await bot.shutdown();
  const windows: Record<string, string[]> = {};
  for (const [symbol, marks] of Object.entries(bot.markWindows.snapshot())) windows[symbol] = marks.map((m) => m.toFixed());
  return { effects, windows };
}
