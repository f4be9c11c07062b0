import type { Clock, MarkUpdateSink } from '@perps-bot/core';

export interface StalenessConfig {
  /** Marks older than this are stale (the reference's max_mark_staleness_seconds, default 180). */
  readonly maxMarkStalenessSeconds: number;
}

export const DEFAULT_STALENESS: StalenessConfig = { maxMarkStalenessSeconds: 180 };

/**
 * The live risk manager. This slice carries the mark bookkeeping every other check builds on: the one map of
 * last mark times that the mark paths write and the staleness checks read (the reference handed copies to
 * its validators, so staleness never fired; here there is exactly one map).
 */
export class LiveRiskManager implements MarkUpdateSink {
  readonly #lastMarkUpdate = new Map<string, Date>();
  readonly #clock: Clock;
  readonly #config: StalenessConfig;

  constructor(options: { clock: Clock; config?: Partial<StalenessConfig> }) {
    this.#clock = options.clock;
    this.#config = { ...DEFAULT_STALENESS, ...options.config };
  }

  get lastMarkUpdate(): ReadonlyMap<string, Date> {
    return this.#lastMarkUpdate;
  }

  recordMarkUpdate(symbol: string, at: Date): void {
    this.#lastMarkUpdate.set(symbol, at);
  }

  /** Age of the last mark in milliseconds, or undefined for a symbol never marked. */
  markAgeMs(symbol: string): number | undefined {
    const at = this.#lastMarkUpdate.get(symbol);
    return at === undefined ? undefined : this.#clock.now().getTime() - at.getTime();
  }

  /** A symbol never marked counts as fresh (the reference's rule); stale means strictly older than the limit. */
  isMarkStale(symbol: string): boolean {
    const age = this.markAgeMs(symbol);
    return age !== undefined && age > this.#config.maxMarkStalenessSeconds * 1000;
  }
}
