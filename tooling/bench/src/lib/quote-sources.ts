import { setTimeout as sleep } from 'node:timers/promises';
import { Decimal, type Quote, type QuoteSource } from '@perps-bot/core';
import { jwtUriFor, signTestJwt, type TestCredentials } from '@perps-bot/exchange-sim';

const QUOTE_EPOCH = Date.parse('2026-03-01T12:00:00.000Z');

/**
 * The scripted answer for a symbol's n-th request (n from 0). Mostly good quotes, plus the cases that make the
 * mark path log: no quote, a throwing broker, a bad price, a quote without a timestamp (the clock is used).
 */
function scriptedQuote(symbolIndex: number, symbol: string, call: number): Quote | null | Record<string, unknown> {
  if (symbolIndex % 17 === 3 && call % 2 === 1) return null;
  if (symbolIndex === 7 && call % 3 === 2) throw new Error(`exchange unavailable for ${symbol}`);
  if (symbolIndex % 11 === 5) return { symbol, last: 'abc', ts: new Date(QUOTE_EPOCH) };
  const last = new Decimal(100 + symbolIndex).plus(new Decimal(call).div(4));
  const quote = {
    symbol,
    bid: last.minus('0.01'),
    ask: last.plus('0.01'),
    last,
    ts: new Date(QUOTE_EPOCH + call * 1000),
  };
  if (symbolIndex % 5 === 0) return { symbol, bid: quote.bid, ask: quote.ask, last };
  return quote;
}

/** A QuoteSource whose every getQuote waits `latencyMs` on a timer (one simulated round trip), then answers from the script. */
export class SleepingQuoteSource implements QuoteSource {
  readonly #latencyMs: number;
  readonly #index: Map<string, number>;
  readonly #calls = new Map<string, number>();

  constructor(symbols: readonly string[], latencyMs: number) {
    this.#latencyMs = latencyMs;
    this.#index = new Map(symbols.map((s, i) => [s, i]));
  }

  async getQuote(symbol: string): Promise<Quote | null> {
    await sleep(this.#latencyMs);
    const call = this.#calls.get(symbol) ?? 0;
    this.#calls.set(symbol, call + 1);
    return scriptedQuote(this.#index.get(symbol) ?? 0, symbol, call) as Quote | null;
  }
}

/** A batch answer evaluated on lookup, so a scripted throw fails its own symbol only (as a per-symbol call would). */
class ScriptedBatch extends Map<string, unknown> {
  readonly #answer: (symbol: string) => unknown;
  constructor(symbols: readonly string[], answer: (symbol: string) => unknown) {
    super(symbols.map((s) => [s, undefined]));
    this.#answer = answer;
  }
  override get(symbol: string): unknown {
    return this.has(symbol) ? this.#answer(symbol) : undefined;
  }
}

/** SleepingQuoteSource plus a getQuotes that waits `latencyMs` once for the whole list, then answers from the same script. */
export class SleepingBatchQuoteSource extends SleepingQuoteSource {
  readonly #latency: number;
  readonly #symbolIndex: Map<string, number>;
  readonly #batchCalls = new Map<string, number>();

  constructor(symbols: readonly string[], latencyMs: number) {
    super(symbols, latencyMs);
    this.#latency = latencyMs;
    this.#symbolIndex = new Map(symbols.map((s, i) => [s, i]));
  }

  async getQuotes(symbols: readonly string[]): Promise<Map<string, Quote>> {
    await sleep(this.#latency);
    const calls = new Map<string, number>();
    for (const s of symbols) {
      const call = this.#batchCalls.get(s) ?? 0;
      this.#batchCalls.set(s, call + 1);
      calls.set(s, call);
    }
    const answer = (s: string) => scriptedQuote(this.#symbolIndex.get(s) ?? 0, s, calls.get(s) ?? 0);
    // A null answer is a symbol the exchange left out; everything else is looked up (and may throw) on get.
    const present = symbols.filter((s) => {
      try {
        return answer(s) !== null;
      } catch {
        return true;
      }
    });
    return new ScriptedBatch(present, answer) as unknown as Map<string, Quote>;
  }
}

/**
 * A QuoteSource over the loopback simulator with plain fetch and a signed JWT per request: a stand-in for the
 * Coinbase adapter until it is in main (then use the adapter's getQuote instead).
 */
export class SimFetchQuoteSource implements QuoteSource {
  readonly #base: string;
  readonly #credentials: Pick<TestCredentials, 'keyName' | 'privateKeyPem' | 'algorithm'> | null;

  /** `credentials: null` sends unsigned requests (for a simulator started with --no-auth). */
  constructor(
    brokerageUrl: string,
    credentials: Pick<TestCredentials, 'keyName' | 'privateKeyPem' | 'algorithm'> | null,
  ) {
    this.#base = brokerageUrl;
    this.#credentials = credentials;
  }

  async getQuote(symbol: string): Promise<Quote | null> {
    const url = new URL(`${this.#base}/products/${encodeURIComponent(symbol)}/ticker?limit=1`);
    const headers: Record<string, string> = {};
    if (this.#credentials)
      headers.authorization = `Bearer ${await signTestJwt(this.#credentials, { uri: jwtUriFor('GET', url) })}`;
    const res = await fetch(url, { headers });
    if (res.status !== 200) throw new Error(`ticker for ${symbol}: HTTP ${res.status}`);
    const body = (await res.json()) as {
      trades: { price: string; time: string }[];
      best_bid: string;
      best_ask: string;
    };
    const trade = body.trades[0];
    if (!trade) return null;
    return {
      symbol,
      bid: new Decimal(body.best_bid),
      ask: new Decimal(body.best_ask),
      last: new Decimal(trade.price),
      ts: new Date(trade.time),
    };
  }
}
