import type { EventStore, LogFields, Logger } from '@perps-bot/core';
import type { CycleReport, PerpsBot } from '@perps-bot/orchestration';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { tradingBlocks } from '../trading-blocks.js';

/** Every metric the bot exports, in Prometheus text format at /metrics (names are pinned by a test and the README). */
export const METRIC_NAMES = [
  'perps_bot_cycles_total',
  'perps_bot_cycle_duration_seconds',
  'perps_bot_mark',
  'perps_bot_mark_age_seconds',
  'perps_bot_orders_total',
  'perps_bot_risk_rejections_total',
  'perps_bot_stream_frames_total',
  'perps_bot_stream_drops_total',
  'perps_bot_stream_gaps_total',
  'perps_bot_stream_reconnects_total',
  'perps_bot_shadow_outcomes_total',
  'perps_bot_store_write_seconds',
  'perps_bot_position_quantity',
  'perps_bot_trading_blocked',
] as const;

type ShadowOutcome = 'matched' | 'mismatched' | 'ignored' | 'candidateErrors';
const SHADOW_OUTCOMES: readonly ShadowOutcome[] = ['matched', 'mismatched', 'ignored', 'candidateErrors'];

/**
 * The bot's metrics on a registry of their own (prom-client). Counters move from what the bot already reports
 * (each cycle's report, the event store's writes, the stream's log lines), so nothing in the trading path
 * waits on them; gauges are read from the bot when /metrics is scraped.
 */
export class BotMetrics {
  readonly registry = new Registry();
  readonly #cycles = new Counter({
    name: 'perps_bot_cycles_total',
    help: 'Trading cycles run, by result',
    labelNames: ['result'],
    registers: [this.registry],
  });
  readonly #cycleDuration = new Histogram({
    name: 'perps_bot_cycle_duration_seconds',
    help: 'Wall time of one cycle (marks, decisions, orders)',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly #orders = new Counter({
    name: 'perps_bot_orders_total',
    help: 'Order attempts by outcome (placed, dry_run, rejected, failed, skipped)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly #rejections = new Counter({
    name: 'perps_bot_risk_rejections_total',
    help: 'Orders the pre-trade risk check refused, by reason code',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly #frames = new Counter({
    name: 'perps_bot_stream_frames_total',
    help: 'Streamed mark updates applied',
    registers: [this.registry],
  });
  readonly #drops = new Counter({
    name: 'perps_bot_stream_drops_total',
    help: 'Stream messages dropped because the consumer was behind',
    registers: [this.registry],
  });
  readonly #gaps = new Counter({
    name: 'perps_bot_stream_gaps_total',
    help: 'Stream sequence gaps detected',
    registers: [this.registry],
  });
  readonly #reconnects = new Counter({
    name: 'perps_bot_stream_reconnects_total',
    help: 'Stream reconnect attempts',
    registers: [this.registry],
  });
  readonly #shadow = new Counter({
    name: 'perps_bot_shadow_outcomes_total',
    help: 'Shadow comparisons by experiment and outcome',
    labelNames: ['experiment', 'outcome'],
    registers: [this.registry],
  });
  readonly #storeWrites = new Histogram({
    name: 'perps_bot_store_write_seconds',
    // Unlabelled on purpose: one histogram for every append (events and tick metric rows) of the one store.
    help: 'Time of one event-store append (an event or a tick metric row), committed',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [this.registry],
  });
  /** What each experiment's report said at the last cycle: the counter grows by the difference. */
  readonly #shadowSeen = new Map<string, number>();

  constructor(bot: () => PerpsBot | undefined) {
    const registers = [this.registry];
    new Gauge({
      name: 'perps_bot_mark',
      help: 'Latest mark per symbol',
      labelNames: ['symbol'],
      registers,
      collect() {
        const b = bot();
        for (const symbol of b?.symbols ?? []) {
          const mark = b?.markWindows.latest(symbol);
          if (mark) this.set({ symbol }, mark.toNumber());
        }
      },
    });
    new Gauge({
      name: 'perps_bot_mark_age_seconds',
      help: 'Seconds since the latest mark per symbol',
      labelNames: ['symbol'],
      registers,
      collect() {
        const b = bot();
        for (const symbol of b?.symbols ?? []) {
          const age = b?.riskManager.markAgeMs(symbol);
          if (age !== undefined) this.set({ symbol }, age / 1000);
        }
      },
    });
    new Gauge({
      name: 'perps_bot_trading_blocked',
      help: 'Whether trading is blocked now, by reason (kill_switch, reduce_only, symbol_reduce_only, session, stale_marks)',
      labelNames: ['reason'],
      registers,
      collect() {
        const b = bot();
        if (!b) return;
        this.reset();
        const blocked = new Set(tradingBlocks(b).map((x) => x.kind));
        for (const reason of ['kill_switch', 'reduce_only', 'symbol_reduce_only', 'session', 'stale_marks'])
          this.set({ reason }, blocked.has(reason as never) ? 1 : 0);
      },
    });
  }

  /** Positions are set by the status model after each cycle (read from the ledger or the broker once). */
  readonly positions = new Gauge({
    name: 'perps_bot_position_quantity',
    help: 'Signed position size per symbol (contracts or base units)',
    labelNames: ['symbol'],
    registers: [this.registry],
  });

  observeCycle(report: CycleReport | undefined, seconds: number, failed: boolean, bot: PerpsBot): void {
    this.#cycles.inc({ result: failed ? 'error' : 'ok' });
    this.#cycleDuration.observe(seconds);
    for (const outcome of report?.outcomes.values() ?? []) {
      this.#orders.inc({ outcome: outcome.status });
      if (outcome.status === 'rejected') this.#rejections.inc({ reason: outcome.code });
    }
    this.#countShadow('market_data_service', bot.shadowReport());
    this.#countShadow('execution_service', bot.executionShadowReport());
  }

  #countShadow(experiment: string, report: Record<ShadowOutcome, number> | undefined): void {
    if (!report) return;
    for (const outcome of SHADOW_OUTCOMES) {
      const key = `${experiment} ${outcome}`;
      const now = report[outcome];
      const delta = now - (this.#shadowSeen.get(key) ?? 0);
      if (delta > 0) this.#shadow.inc({ experiment, outcome }, delta);
      this.#shadowSeen.set(key, now);
    }
  }

  /** The event store with each append timed; stream metric rows also count frames and reconnects. */
  timedEventStore(store: EventStore): EventStore {
    const writes = this.#storeWrites;
    const frames = this.#frames;
    const reconnects = this.#reconnects;
    const time = (write: () => void) => {
      const end = writes.startTimer();
      try {
        write();
      } finally {
        end();
      }
    };
    // A proxy, not a copy: whatever else the store offers (now or later) still reaches it unchanged.
    return new Proxy(store, {
      get(target, property) {
        if (property === 'appendMetric') {
          return (botId: string, payload: Record<string, unknown>) => {
            if (payload.event_type === 'ws_mark_update') frames.inc();
            else if (payload.event_type === 'ws_stream_reconnect') reconnects.inc();
            time(() => target.appendMetric(botId, payload));
          };
        }
        if (property === 'appendEvent') {
          return (type: string, botId: string, payload: Record<string, unknown>) =>
            time(() => target.appendEvent(type, botId, payload));
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /**
   * The logger with the stream adapter's warnings counted: the Coinbase WebSocket client reports a dropped
   * backlog (`dropped` field) and a sequence gap (`missed` field) only as log lines, so they are counted here.
   */
  countingLogger(logger: Logger): Logger {
    const drops = this.#drops;
    const gaps = this.#gaps;
    const observe = (fields: LogFields | undefined) => {
      if (!fields) return;
      if (typeof fields.dropped === 'number') drops.inc(fields.dropped);
      if (typeof fields.missed === 'number') gaps.inc();
    };
    return {
      debug: (m, f) => logger.debug(m, f),
      info: (m, f) => logger.info(m, f),
      warn: (m, f) => {
        observe(f);
        logger.warn(m, f);
      },
      error: (m, f) => logger.error(m, f),
    };
  }

  async text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
