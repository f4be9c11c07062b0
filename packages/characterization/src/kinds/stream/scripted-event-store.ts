import { MemoryEventStore } from '@perps-bot/core';
import type { EventStoreScript } from './scenario.js';

/**
 * The harness's in-memory event store, except that appendMetric throws where the scenario says (before
 * storing), and tells the runner about every metric it is handed (the runner ends a run at ws_stream_exit,
 * whether or not that write then fails).
 */
export class ScriptedEventStore extends MemoryEventStore {
  readonly #script: EventStoreScript | undefined;
  readonly #onMetric: (payload: Record<string, unknown>) => void;
  #calls = 0;

  constructor(now: () => Date, script: EventStoreScript | undefined, onMetric: (payload: Record<string, unknown>) => void) {
    super({ clock: { now } });
    this.#script = script;
    this.#onMetric = onMetric;
  }

  override appendMetric(botId: string, payload: Record<string, unknown>): void {
    const call = this.#calls++;
    this.#onMetric(payload);
    const s = this.#script;
    if (s && (s.throwOnCalls?.includes(call) || s.throwForEvents?.includes(String(payload.event_type)))) throw new Error(s.message);
    super.appendMetric(botId, payload);
  }
}
