import { describeError, type Clock, type EventStore, type Logger } from '@perps-bot/core';

/** The part of the event store the risk manager writes to. */
export type RiskEventSink = Pick<EventStore, 'appendMetric'>;

/** The bot id the reference's risk engine wrote its metrics under. */
const RISK_BOT_ID = 'risk_engine';

/** Event types the risk manager records (the reference's names, so dashboards and golden files carry over). */
export type RiskEventType =
  | 'kill_switch'
  | 'reduce_only_block'
  | 'reduce_only_mode_changed'
  | 'daily_loss_breach'
  | 'liquidation_buffer_breach'
  | 'stale_mark_price'
  | 'volatility_circuit_breaker';

/**
 * Writes risk events as metrics `{ event_type, timestamp, ...details }` under bot id "risk_engine". Details must be
 * JSON-safe (decimals as strings). A failing sink is logged at error level and never undoes the state change that
 * caused the event: a halted bot with a missing event is better than a trading bot that refused to halt.
 */
export class RiskEventRecorder {
  readonly #sink: RiskEventSink | undefined;
  readonly #logger: Logger;
  readonly #clock: Clock;

  constructor(options: { clock: Clock; logger: Logger; sink?: RiskEventSink | undefined }) {
    this.#sink = options.sink;
    this.#logger = options.logger;
    this.#clock = options.clock;
  }

  record(eventType: RiskEventType, details: Record<string, unknown>): void {
    if (this.#sink === undefined) return;
    const payload = { event_type: eventType, timestamp: this.#clock.now().toISOString(), ...details };
    try {
      this.#sink.appendMetric(RISK_BOT_ID, payload);
    } catch (error) {
      this.#logger.error(`Failed to record risk event ${eventType}: ${describeError(error)}`, {
        eventType,
        symbol: details.symbol,
      });
    }
  }
}
