import { ConfigError } from '@perps-bot/core';
import type { Decimal } from 'decimal.js';
import { MarkWindow } from './mark-window.js';

/** What happened to a window on one append; observers (the characterization recorder) see it. */
export interface MarkAppend {
  readonly symbol: string;
  readonly mark: Decimal;
  readonly limit: number;
  readonly created: boolean;
  readonly dropped: number;
  readonly size: number;
}

export type MarkAppendObserver = (append: MarkAppend) => void;

export interface MarkWindowsOptions {
  /** How many marks each window keeps (the newest); see `MarkWindows.forAverages` for the bot's rule. */
  readonly limit: number;
  readonly initial?: Iterable<readonly [string, readonly Decimal[]]>;
}

/**
 * The one store of recent marks per symbol, shared by PerpsBot, the MarketDataService and the
 * StreamingService (they must hold the same instance). It carries its trim limit, so every writer (REST,
 * streaming, legacy paths, warm-up) trims alike without computing the limit itself. Every mutation is
 * synchronous, so in Node an append is atomic with respect to other appends: concurrent REST and streaming
 * updates cannot interleave inside one.
 */
export class MarkWindows {
  /** Marks kept per symbol. A plain field on purpose: tests that break the trim on purpose overwrite it. */
  readonly limit: number;
  readonly #windows = new Map<string, MarkWindow>();
  readonly #observers = new Set<MarkAppendObserver>();

  constructor(options: MarkWindowsOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      throw new ConfigError(
        'markWindowLimit',
        `Mark window limit must be a whole number ≥ 1, got ${String(options.limit)}; check shortMa and longMa`,
      );
    }
    this.limit = options.limit;
    if (options.initial)
      for (const [symbol, marks] of options.initial) this.#windows.set(symbol, new MarkWindow(marks));
  }

  /** The bot's store: the reference's trim rule for moving averages of `shortMa` and `longMa` marks. */
  static forAverages(
    shortMa: number,
    longMa: number,
    initial?: Iterable<readonly [string, readonly Decimal[]]>,
  ): MarkWindows {
    return new MarkWindows({ limit: windowLimit(shortMa, longMa), ...(initial ? { initial } : {}) });
  }

  static fromRecord(record: Readonly<Record<string, readonly Decimal[]>>, limit: number): MarkWindows {
    return new MarkWindows({ limit, initial: Object.entries(record) });
  }

  /** An independent store with the same limit and the same marks (shadow mode's scratch copy). */
  copy(): MarkWindows {
    return MarkWindows.fromRecord(this.snapshot(), this.limit);
  }

  /** Creates an empty window for the symbol unless one exists. */
  ensure(symbol: string): void {
    if (!this.#windows.has(symbol)) this.#windows.set(symbol, new MarkWindow());
  }

  has(symbol: string): boolean {
    return this.#windows.has(symbol);
  }

  /** The symbol's marks, oldest → newest (a copy), or undefined when it has no window. */
  get(symbol: string): Decimal[] | undefined {
    return this.#windows.get(symbol)?.toArray();
  }

  size(symbol: string): number {
    return this.#windows.get(symbol)?.length ?? 0;
  }

  latest(symbol: string): Decimal | undefined {
    return this.#windows.get(symbol)?.latest();
  }

  symbols(): string[] {
    return [...this.#windows.keys()];
  }

  delete(symbol: string): boolean {
    return this.#windows.delete(symbol);
  }

  /**
   * Sets a symbol's window to these marks as they are, untrimmed until its next append, without telling
   * observers (a restored or staged state, not a mark update: the characterization scenes use it).
   */
  restore(symbol: string, marks: readonly Decimal[]): void {
    this.#windows.set(symbol, new MarkWindow(marks));
  }

  /** Appends a mark (creating the window if missing) and keeps only the newest `limit` marks. */
  append(symbol: string, mark: Decimal): void {
    const limit = this.limit;
    let window = this.#windows.get(symbol);
    const created = window === undefined;
    if (window === undefined) {
      window = new MarkWindow();
      this.#windows.set(symbol, window);
    }
    const dropped = window.append(mark, limit);
    if (this.#observers.size > 0) {
      const event: MarkAppend = { symbol, mark, limit, created, dropped, size: window.length };
      for (const observer of this.#observers) observer(event);
    }
  }

  /** Subscribes to appends; returns the unsubscribe function. */
  observe(observer: MarkAppendObserver): () => void {
    this.#observers.add(observer);
    return () => this.#observers.delete(observer);
  }

  /** A plain snapshot, symbol → marks oldest → newest. */
  snapshot(): Record<string, Decimal[]> {
    const out: Record<string, Decimal[]> = {};
    for (const [symbol, window] of this.#windows) out[symbol] = window.toArray();
    return out;
  }
}

/** The trim rule of the reference: keep max(shortMa, longMa) + 5 marks. Only `forAverages` applies it. */
function windowLimit(shortMa: number, longMa: number): number {
  return Math.max(shortMa, longMa) + 5;
}
