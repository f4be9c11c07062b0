import type { Clock } from '@perps-bot/core';

/** What the streaming loops need from a market monitor: a heartbeat per streamed mark. */
export interface MarketHeartbeat {
  recordUpdate(symbol: string): void;
}

export interface MarketActivityMonitorOptions {
  readonly clock: Clock;
  /** A symbol whose last update is older than this is stale (the reference's default: 5 s). */
  readonly maxStalenessMs?: number;
  /** Consecutive transport failures tolerated before `shouldFallbackToRest()` says yes (reference: 3). */
  readonly maxFailures?: number;
}

/**
 * Market-data freshness and transport health (the reference's MarketActivityMonitor). Every configured
 * symbol starts as "updated now", as in the reference, so a bot that just started is not stale.
 */
export class MarketActivityMonitor implements MarketHeartbeat {
  readonly maxStalenessMs: number;
  readonly maxFailures: number;
  readonly #lastUpdate = new Map<string, Date>();
  readonly #clock: Clock;
  #consecutiveFailures = 0;

  constructor(symbols: Iterable<string>, options: MarketActivityMonitorOptions) {
    this.#clock = options.clock;
    this.maxStalenessMs = options.maxStalenessMs ?? 5_000;
    this.maxFailures = options.maxFailures ?? 3;
    const now = this.#clock.now();
    for (const symbol of symbols) this.#lastUpdate.set(symbol, now);
  }

  recordUpdate(symbol: string): void {
    this.#lastUpdate.set(symbol, this.#clock.now());
  }

  lastUpdate(symbol: string): Date | undefined {
    return this.#lastUpdate.get(symbol);
  }

  /** Milliseconds since the symbol's last update, or undefined for a symbol never seen. */
  ageMs(symbol: string): number | undefined {
    const at = this.#lastUpdate.get(symbol);
    return at === undefined ? undefined : this.#clock.now().getTime() - at.getTime();
  }

  /** Stale means strictly older than `maxStalenessMs`; a symbol never seen is not stale. */
  isStale(symbol: string): boolean {
    const age = this.ageMs(symbol);
    return age !== undefined && age > this.maxStalenessMs;
  }

  /** True when any tracked symbol is stale (the reference's check_staleness). */
  checkStaleness(): boolean {
    for (const symbol of this.#lastUpdate.keys()) if (this.isStale(symbol)) return true;
    return false;
  }

  recordFailure(): void {
    this.#consecutiveFailures++;
  }

  recordSuccess(): void {
    this.#consecutiveFailures = 0;
  }

  get consecutiveFailures(): number {
    return this.#consecutiveFailures;
  }

  shouldFallbackToRest(): boolean {
    return this.#consecutiveFailures > this.maxFailures || this.checkStaleness();
  }
}
