import { Decimal, type Quote, type QuoteSource } from '@perps-bot/core';
import type { MarkUpdateScenario, QuoteAnswer, ScriptedTs, ScriptedValue } from './scenario.js';

/** A broker that answers each symbol's n-th getQuote with the scenario's n-th answer for that symbol. */
export class ScriptedBroker implements QuoteSource {
  readonly name = 'scripted';
  readonly #scenario: MarkUpdateScenario;
  readonly #calls = new Map<string, number>();
  #inFlight = 0;
  /** The most getQuote requests that were unanswered at once (a concurrent candidate must overlap them). */
  maxInFlight = 0;

  constructor(scenario: MarkUpdateScenario) {
    this.#scenario = scenario;
  }

  // Not `async`: a `sync: true` throw must happen before any promise exists, as a broken adapter's would.
  getQuote(symbol: string): Promise<Quote | null> {
    const n = this.#calls.get(symbol) ?? 0;
    this.#calls.set(symbol, n + 1);
    const answer = this.#scenario.quotes[symbol]?.[n] ?? this.#scenario.otherwise;
    if (answer === undefined) {
      return Promise.reject(new Error(`scripted broker has no answer #${n + 1} for ${symbol}`));
    }
    if (answer.type === 'throw' && answer.sync) throw new Error(answer.message);
    this.maxInFlight = Math.max(this.maxInFlight, ++this.#inFlight);
    // Answered one macrotask later, so requests started together are in flight together.
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.#inFlight--;
      return answerValue(symbol, answer) as Quote | null;
    });
  }

  /**
   * The batch twin of getQuote, built from the same scripts: each requested symbol takes its next step, one
   * step per symbol per batch. A quote-ish answer is in the map; null and undefined answers are absent (as
   * Coinbase leaves a product out); a throwing answer, or a script that ran out, throws on that symbol's
   * lookup only, so one batch can carry every per-symbol outcome a scenario scripts.
   */
  getQuotes(symbols: readonly string[]): Promise<Map<string, Quote>> {
    const steps = new ScriptedQuotes();
    const answers: (QuoteAnswer | undefined)[] = [];
    for (const symbol of symbols) {
      const n = this.#calls.get(symbol) ?? 0;
      this.#calls.set(symbol, n + 1);
      const answer = this.#scenario.quotes[symbol]?.[n] ?? this.#scenario.otherwise;
      answers.push(answer);
      if (answer === undefined) steps.set(symbol, { missing: n + 1 } satisfies BatchStep);
      else if (answer.type !== 'null' && answer.type !== 'undefined') steps.set(symbol, answer satisfies BatchStep);
    }
    const rejection = this.#scenario.broker?.batch === 'rejects' ? wholeBatchRejection(answers) : undefined;
    if (rejection !== undefined) return Promise.reject(new Error(rejection));
    return Promise.resolve(steps as unknown as Map<string, Quote>);
  }
}

/** The message a whole batch rejects with: every step is a (non-sync) throw with this one message. */
function wholeBatchRejection(answers: readonly (QuoteAnswer | undefined)[]): string | undefined {
  const first = answers[0];
  if (first?.type !== 'throw') return undefined;
  return answers.every((a) => a?.type === 'throw' && a.message === first.message) ? first.message : undefined;
}

/** The scenario's broker: with getQuotes, or (`broker.batch: 'absent'`) a broker that only has getQuote. */
export function scriptedBrokerFor(scenario: MarkUpdateScenario): { broker: QuoteSource; scripted: ScriptedBroker } {
  const scripted = new ScriptedBroker(scenario);
  if (scenario.broker?.batch !== 'absent') return { broker: scripted, scripted };
  const broker: QuoteSource & { readonly name: string } = { name: scripted.name, getQuote: (symbol: string) => scripted.getQuote(symbol) };
  return { broker, scripted };
}

type BatchStep = QuoteAnswer | { readonly missing: number };

/** A batch answer holding the scripted steps (so it records as data) and evaluating each one on lookup. */
class ScriptedQuotes extends Map<string, unknown> {
  override get(symbol: string): unknown {
    const step = super.get(symbol) as BatchStep | undefined;
    if (step === undefined) return undefined;
    if ('missing' in step) throw new Error(`scripted broker has no answer #${step.missing} for ${symbol}`);
    return answerValue(symbol, step);
  }
}

/** The value a scripted answer stands for (throws for the throwing answers). */
export function answerValue(symbol: string, answer: QuoteAnswer): unknown {
  switch (answer.type) {
    case 'quote': {
      const quote: Record<string, unknown> = { symbol };
      for (const field of ['bid', 'ask', 'last', 'lastPrice'] as const) {
        if (field in answer) quote[field] = priceValue(answer[field] as ScriptedValue);
      }
      if ('ts' in answer) quote.ts = tsValue(answer.ts as ScriptedTs);
      return quote;
    }
    case 'null':
      return null;
    case 'undefined':
      return undefined;
    case 'non-object':
      return answer.value;
    case 'throw':
      throw new Error(answer.message);
    case 'throw-value':
      throw answer.value;
  }
}

export function priceValue(value: ScriptedValue): unknown {
  if (value === null) return null;
  if (typeof value === 'string') return new Decimal(value);
  if ('text' in value) return value.text;
  if ('number' in value) return typeof value.number === 'number' ? value.number : Number(value.number);
  if ('boolean' in value) return value.boolean;
  return { ...value.object };
}

export function tsValue(value: ScriptedTs): unknown {
  if (value === null) return null;
  if (typeof value === 'string') return new Date(value);
  if ('invalidDate' in value) return new Date(value.invalidDate);
  if ('text' in value) return value.text;
  return value.number;
}
