import { ErrorCodes, PerpsBotError, type MarketDataStreamSource, type StreamMessage } from '@perps-bot/core';

/**
 * One step of a scripted connection, as plain JSON data (golden-master scenarios store these):
 * - `{ message }` delivers any JSON value (tickers, heartbeats, garbage: strings, arrays, null…);
 * - `{ gapMs }` lets time pass (the source calls `advance`, e.g. a ManualClock's) before the next step;
 * - `{ disconnect }` makes the iterator throw, as a dropped socket does;
 * - `{ end: true }` ends the iterator, as a server closing the stream does.
 * After its last step a connection stays open and silent until the consumer aborts it.
 */
export type StreamStep =
  { readonly message: unknown } | { readonly gapMs: number } | { readonly disconnect: string } | { readonly end: true };

export interface StreamScript {
  /** What each successful open yields: connection 1, 2, … */
  readonly connections: readonly (readonly StreamStep[])[];
  /** 'orderbook': streamOrderbook throws on open (trades is used); 'both': both throw. */
  readonly openFails?: 'none' | 'orderbook' | 'both';
  /**
   * Opens beyond the scripted connections: 'idle' (default) stays open and silent until aborted; 'end'
   * ends at once and 'fail' throws on open (both: a stream that stays down).
   */
  readonly whenExhausted?: 'idle' | 'end' | 'fail';
}

/** Where a step sits in the script: connection index (0-based, in open order) and step index in it. */
export interface StreamStepAt {
  readonly connection: number;
  readonly index: number;
  readonly step: StreamStep;
}

export interface StreamOpen {
  readonly method: 'streamOrderbook' | 'streamTrades';
  readonly symbols: readonly string[];
  readonly level?: number;
}

/**
 * An in-memory MarketDataStreamSource that plays a StreamScript. For tests, the golden harness and
 * benchmarks: it records every open and tells when it has delivered everything (`whenIdle`).
 */
export class ScriptedStreamSource implements MarketDataStreamSource {
  readonly opens: StreamOpen[] = [];
  readonly #script: StreamScript;
  readonly #advance: (ms: number) => void;
  readonly #hold: Promise<void> | undefined;
  readonly #onOpen: ((open: StreamOpen) => void) | undefined;
  readonly #onStep: ((at: StreamStepAt) => void) | undefined;
  #next = 0;
  #idle = 0;
  #idleWaiters: (() => void)[] = [];

  /**
   * `advance` lets time pass on `{ gapMs }` steps; `hold` delays every connection's first step until it
   * resolves (so a recorder can attach before anything is delivered); `onOpen` sees every open attempt;
   * `onStep` sees each step just before it takes effect (a recorder tags effects with it, a harness can
   * stop the consumer there: the step is still played, as a socket still delivers the frame in flight).
   */
  constructor(
    script: StreamScript,
    options: {
      advance?: (ms: number) => void;
      hold?: Promise<void>;
      onOpen?: (open: StreamOpen) => void;
      onStep?: (at: StreamStepAt) => void;
    } = {},
  ) {
    this.#script = script;
    this.#advance = options.advance ?? (() => undefined);
    this.#hold = options.hold;
    this.#onOpen = options.onOpen;
    this.#onStep = options.onStep;
  }

  /** How many opens succeeded. */
  get connectionsOpened(): number {
    return this.#next;
  }

  streamOrderbook(symbols: readonly string[], level: number, signal?: AbortSignal): AsyncIterable<StreamMessage> {
    this.#opened({ method: 'streamOrderbook', symbols: [...symbols], level });
    if (this.#script.openFails === 'orderbook' || this.#script.openFails === 'both') {
      throw new PerpsBotError(ErrorCodes.STREAM, 'orderbook stream unavailable');
    }
    return this.#connect(signal);
  }

  streamTrades(symbols: readonly string[], signal?: AbortSignal): AsyncIterable<StreamMessage> {
    this.#opened({ method: 'streamTrades', symbols: [...symbols] });
    if (this.#script.openFails === 'both') throw new PerpsBotError(ErrorCodes.STREAM, 'trades stream unavailable');
    return this.#connect(signal);
  }

  /** Resolves once a connection sits idle after its script: everything scripted so far was consumed. */
  whenIdle(): Promise<void> {
    if (this.#idle > 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #opened(open: StreamOpen): void {
    this.opens.push(open);
    this.#onOpen?.(open);
  }

  #connect(signal: AbortSignal | undefined): AsyncIterable<StreamMessage> {
    const steps = this.#script.connections[this.#next];
    const connection = this.#next;
    if (steps === undefined) {
      const exhausted = this.#script.whenExhausted ?? 'idle';
      if (exhausted === 'fail') throw new PerpsBotError(ErrorCodes.STREAM, 'stream unavailable (script exhausted)');
      this.#next++;
      return this.#play(connection, exhausted === 'end' ? [{ end: true }] : [], signal);
    }
    this.#next++;
    return this.#play(connection, steps, signal);
  }

  async *#play(
    connection: number,
    steps: readonly StreamStep[],
    signal: AbortSignal | undefined,
  ): AsyncGenerator<StreamMessage> {
    if (this.#hold) await this.#hold;
    for (const [index, step] of steps.entries()) {
      if (signal?.aborted) return;
      this.#onStep?.({ connection, index, step });
      if ('message' in step) yield step.message as StreamMessage;
      else if ('gapMs' in step) this.#advance(step.gapMs);
      else if ('disconnect' in step) throw new PerpsBotError(ErrorCodes.STREAM, step.disconnect);
      else return;
    }
    if (!signal || signal.aborted) return;
    this.#idle++;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const wake of waiters) wake();
    try {
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    } finally {
      this.#idle--;
    }
  }
}
