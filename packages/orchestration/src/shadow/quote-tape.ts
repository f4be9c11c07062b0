import type { Quote, QuoteSource } from '@perps-bot/core';

export type Settled =
  { kind: 'threw'; error: unknown } | { kind: 'resolved'; value: Quote | null } | { kind: 'rejected'; error: unknown };

/**
 * Fetches each quote once. The control asks the real broker through `control`, and every answer (value,
 * rejection, or synchronous throw) is kept per symbol in call order; the candidate's `candidate` source
 * replays the same answers, so both sides judge the same quotes and the exchange sees one request, not two.
 */
export class QuoteTape {
  readonly #source: () => QuoteSource;
  readonly #answers = new Map<string, Promise<Settled>[]>();
  readonly #replayed = new Map<string, number>();

  constructor(source: () => QuoteSource) {
    this.#source = source;
  }

  /** The real broker, taped. Behaves exactly like it (a synchronous throw stays synchronous). */
  readonly control: QuoteSource = {
    getQuote: (symbol) => {
      const answers = this.#answersFor(symbol);
      let pending: Promise<Quote | null>;
      try {
        pending = this.#source().getQuote(symbol);
      } catch (error) {
        answers.push(Promise.resolve({ kind: 'threw', error }));
        throw error;
      }
      answers.push(
        Promise.resolve(pending).then(
          (value): Settled => ({ kind: 'resolved', value }),
          (error: unknown): Settled => ({ kind: 'rejected', error }),
        ),
      );
      return pending;
    },
  };

  /** Replays the control's answers; a call the control never made is refused, never sent to the broker. */
  readonly candidate: QuoteSource = {
    getQuote: (symbol) => {
      const n = this.#replayed.get(symbol) ?? 0;
      this.#replayed.set(symbol, n + 1);
      const answer = this.#answers.get(symbol)?.[n];
      if (!answer)
        return Promise.reject(new Error(`shadow: the control made no quote request #${n + 1} for ${symbol}`));
      return answer.then((settled) => {
        if (settled.kind === 'resolved') return settled.value;
        throw settled.error;
      });
    },
  };

  /** Every answer the control got, per symbol in call order (all settled once the control has finished). */
  async answers(): Promise<Map<string, Settled[]>> {
    const out = new Map<string, Settled[]>();
    for (const [symbol, answers] of this.#answers) out.set(symbol, await Promise.all(answers));
    return out;
  }

  /** Requests per symbol: [control, candidate]. */
  counts(): Map<string, [number, number]> {
    const out = new Map<string, [number, number]>();
    for (const [symbol, answers] of this.#answers) out.set(symbol, [answers.length, 0]);
    for (const [symbol, n] of this.#replayed) out.set(symbol, [out.get(symbol)?.[0] ?? 0, n]);
    return out;
  }

  #answersFor(symbol: string): Promise<Settled>[] {
    let answers = this.#answers.get(symbol);
    if (!answers) {
      answers = [];
      this.#answers.set(symbol, answers);
    }
    return answers;
  }
}
