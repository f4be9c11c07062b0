import {
  describeError,
  type Clock,
  type LogFields,
  type Logger,
  type LogLevel,
  type MarkUpdateSink,
} from '@perps-bot/core';
import type { MarkAppend, MarkWindows } from '@perps-bot/market-data';
import type { Decimal } from 'decimal.js';

export interface WindowEffect {
  readonly mark: Decimal;
  readonly limit: number;
  readonly dropped: number;
  /** The window right after the append, oldest → newest. */
  readonly window: readonly Decimal[];
}

export interface RiskEffect {
  readonly at: Date;
  /** The message when recordMarkUpdate threw. */
  readonly threw?: string;
}

export interface LogEffect {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: LogFields;
}

export interface SymbolEffects {
  readonly windows: WindowEffect[];
  readonly risk: RiskEffect[];
  readonly logs: LogEffect[];
}

/** Logs without a `symbol` field are compared under this key. */
export const NO_SYMBOL = '*';

/** The effects of one side (control or candidate) in one cycle, grouped by symbol, each group in order. */
export class EffectLog {
  readonly #bySymbol = new Map<string, SymbolEffects>();
  /** Every risk write of this side across symbols, in call order (a reproduction's risk script needs it). */
  readonly riskCalls: { readonly symbol: string; readonly threw?: string }[] = [];

  symbols(): string[] {
    return [...this.#bySymbol.keys()];
  }

  get(symbol: string): SymbolEffects {
    let effects = this.#bySymbol.get(symbol);
    if (!effects) {
      effects = { windows: [], risk: [], logs: [] };
      this.#bySymbol.set(symbol, effects);
    }
    return effects;
  }

  /** Records every append to `windows` until the returned function is called. */
  observe(windows: MarkWindows): () => void {
    return windows.observe((e: MarkAppend) =>
      this.get(e.symbol).windows.push({
        mark: e.mark,
        limit: e.limit,
        dropped: e.dropped,
        window: windows.get(e.symbol) ?? [],
      }),
    );
  }

  /** A risk sink that records each write; with `inner`, forwards it (a throw is recorded, then rethrown). */
  riskSink(inner?: MarkUpdateSink): MarkUpdateSink {
    return {
      recordMarkUpdate: (symbol, at) => {
        try {
          inner?.recordMarkUpdate(symbol, at);
        } catch (error) {
          const threw = describeError(error);
          this.get(symbol).risk.push({ at, threw });
          this.riskCalls.push({ symbol, threw });
          throw error;
        }
        this.get(symbol).risk.push({ at });
        this.riskCalls.push({ symbol });
      },
    };
  }

  /** A logger that records each record under its `symbol` field; with `inner`, forwards it. */
  logger(inner?: Logger): Logger {
    const log =
      (level: LogLevel) =>
      (message: string, fields: LogFields = {}): void => {
        this.get(typeof fields.symbol === 'string' ? fields.symbol : NO_SYMBOL).logs.push({ level, message, fields });
        inner?.[level](message, fields);
      };
    return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
  }
}

/**
 * Replays the control's risk outcomes to the candidate: its n-th write for a symbol throws when the control's
 * n-th did (so both log the same debug line), and is only recorded, never applied.
 */
export function replayRiskSink(control: EffectLog, candidate: EffectLog): MarkUpdateSink {
  const sink = candidate.riskSink();
  return {
    recordMarkUpdate: (symbol, at) => {
      const n = candidate.get(symbol).risk.length;
      const threw = control.get(symbol).risk[n]?.threw;
      if (threw !== undefined) {
        candidate.get(symbol).risk.push({ at, threw });
        throw new Error(threw);
      }
      sink.recordMarkUpdate(symbol, at);
    },
  };
}

/** A clock that remembers what it told the control, and one that tells the candidate the same, in order. */
export class ClockTape {
  readonly #times: Date[] = [];
  readonly #clock: Clock;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  readonly control: Clock = {
    now: () => {
      const now = this.#clock.now();
      this.#times.push(now);
      return now;
    },
  };

  /** What the control was told, in order. */
  readings(): readonly Date[] {
    return [...this.#times];
  }

  replay(): Clock {
    let i = 0;
    return { now: () => this.#times[i++] ?? this.#clock.now() };
  }
}
