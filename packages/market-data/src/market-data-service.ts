import {
  describeError,
  MAX_QUOTES_PER_BATCH,
  type Brokerage,
  type Clock,
  type Logger,
  type MarkUpdateSink,
  type QuoteSource,
} from '@perps-bot/core';
import type { Decimal } from 'decimal.js';
import type { MarkWindows } from './mark-windows.js';
import { markFromQuote } from './quote-mark.js';

/** Quotes one symbol at a time, and optionally many in one request (Coinbase's /best_bid_ask). */
export type BatchQuoteSource = QuoteSource & Partial<Pick<Brokerage, 'getQuotes'>>;

export interface MarketDataServiceOptions {
  /** The bot's symbol list (the same array object as the bot's, as in the reference). */
  readonly symbols: readonly string[];
  /** Read on every update so a broker swapped in after construction is used. */
  readonly broker: () => BatchQuoteSource;
  readonly riskManager: () => MarkUpdateSink | undefined;
  readonly logger: Logger;
  readonly clock: Clock;
  /**
   * The shared store, which carries the trim limit. Required: the service never makes its own (the reference
   * replaced an empty one with a fresh store: a bug), so REST and streaming marks always land in one place.
   */
  readonly markWindows: MarkWindows;
  /**
   * How many quote requests may be in flight at once. Requests start in symbol order and their effects
   * (window appends, risk timestamps, logs) are applied in symbol order, exactly as the sequential path.
   */
  readonly concurrency?: number;
  /**
   * Ask for every symbol's quote in one `getQuotes` request (chunked by MAX_QUOTES_PER_BATCH) when the broker
   * has one; effects are applied in symbol order exactly as the sequential path. A symbol missing from the
   * answer is "No quote for X", as a null quote; a failed request fails each of its symbols with its message.
   * Without `getQuotes`, or when a symbol is listed twice (the reference asks twice and may get two answers;
   * a batch answers once), the per-symbol path runs instead.
   */
  readonly batchQuotes?: boolean;
}

type Fetched = { ok: true; quote: unknown } | { ok: false; error: unknown };

/** REST mark updates, extracted from PerpsBot (Phase 1). Writes nothing to the event store. */
export class MarketDataService {
  readonly markWindows: MarkWindows;
  readonly #options: MarketDataServiceOptions;

  constructor(options: MarketDataServiceOptions) {
    this.#options = options;
    this.markWindows = options.markWindows;
    for (const symbol of options.symbols) this.markWindows.ensure(symbol);
  }

  get symbols(): readonly string[] {
    return this.#options.symbols;
  }

  /** One pass over every symbol. Never throws: a failing symbol is logged and the next one still runs. */
  async updateMarks(): Promise<void> {
    const symbols = [...this.#options.symbols];
    const broker = this.#options.broker();
    if (
      this.#options.batchQuotes === true &&
      typeof broker.getQuotes === 'function' &&
      new Set(symbols).size === symbols.length
    ) {
      await fetchBatched(broker as Required<BatchQuoteSource>, symbols, this.#inOrder(symbols));
      return;
    }
    const concurrency = Math.max(1, Math.floor(this.#options.concurrency ?? 1));
    if (concurrency === 1) {
      for (const symbol of symbols) this.applyQuote(symbol, await this.#fetch(symbol));
      return;
    }
    await this.#fetchAll(symbols, concurrency, this.#inOrder(symbols));
  }

  /**
   * Applies answers in symbol order, each as soon as it and every answer before it are in (a reorder buffer):
   * the effects keep legacy's order, and an answer is never held back behind a later symbol's slow one — held
   * past the next cycle's own answer, an older mark would land on top of a newer one.
   */
  #inOrder(symbols: readonly string[]): (index: number, fetched: Fetched) => void {
    const answers = new Array<Fetched | undefined>(symbols.length);
    let next = 0;
    return (index, fetched) => {
      answers[index] = fetched;
      for (let answer = answers[next]; answer !== undefined; answer = answers[next]) {
        answers[next] = undefined;
        this.applyQuote(symbols[next] as string, answer);
        next += 1;
      }
    };
  }

  /** Appends a REST mark to the shared windows (their trim); a seam the characterization mutants patch. */
  updateMarkWindow(symbol: string, mark: Decimal): void {
    this.markWindows.append(symbol, mark);
  }

  /** Applies one fetched answer: the synchronous half of an update, so it is atomic on the shared store. */
  applyQuote(symbol: string, fetched: Fetched): void {
    const { logger } = this.#options;
    let ts: Date;
    try {
      if (!fetched.ok) throw fetched.error;
      const result = markFromQuote(symbol, fetched.quote, this.#options.clock);
      this.updateMarkWindow(symbol, result.mark);
      ts = result.ts;
    } catch (error) {
      logger.error(`Error updating mark for ${symbol}: ${describeError(error)}`, { symbol });
      return;
    }
    try {
      const risk = this.#options.riskManager();
      if (risk) risk.recordMarkUpdate(symbol, ts);
    } catch (error) {
      logger.debug(`Failed to update mark timestamp for ${symbol}: ${describeError(error)}`, { symbol });
    }
  }

  async #fetch(symbol: string): Promise<Fetched> {
    try {
      return { ok: true, quote: await this.#options.broker().getQuote(symbol) };
    } catch (error) {
      return { ok: false, error };
    }
  }

  async #fetchAll(
    symbols: readonly string[],
    concurrency: number,
    answered: (index: number, fetched: Fetched) => void,
  ): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < symbols.length) {
        const i = next++;
        answered(i, await this.#fetch(symbols[i] as string));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, symbols.length) }, worker));
  }
}

/** One getQuotes request per chunk, all in flight together; each chunk's answers handed over as it arrives. */
async function fetchBatched(
  broker: Required<BatchQuoteSource>,
  symbols: readonly string[],
  answered: (index: number, fetched: Fetched) => void,
): Promise<void> {
  const chunks: number[] = [];
  for (let i = 0; i < symbols.length; i += MAX_QUOTES_PER_BATCH) chunks.push(i);
  await Promise.all(
    chunks.map(async (start) => {
      const fetched = await fetchChunk(broker, symbols.slice(start, start + MAX_QUOTES_PER_BATCH));
      fetched.forEach((answer, k) => answered(start + k, answer));
    }),
  );
}

async function fetchChunk(broker: Required<BatchQuoteSource>, chunk: readonly string[]): Promise<Fetched[]> {
  let quotes: ReadonlyMap<string, unknown>;
  try {
    quotes = await broker.getQuotes(chunk);
  } catch (error) {
    return chunk.map(() => ({ ok: false, error }));
  }
  // The answer is untrusted like a single quote: a lookup that throws fails only its own symbol.
  return chunk.map((symbol): Fetched => {
    try {
      return { ok: true, quote: quotes.get(symbol) };
    } catch (error) {
      return { ok: false, error };
    }
  });
}

export type { Fetched as FetchedQuote };
