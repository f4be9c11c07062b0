import { Decimal } from '@perps-bot/core';
import type { Json } from '../json/canonical.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UUID_INSIDE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/**
 * Turns whatever a collaborator saw or returned into JSON that does not depend on the run: decimals become
 * their exact text, dates ISO strings, errors their name and message, maps and sets plain objects and arrays.
 * Values JSON cannot hold are tagged (`{"$number":"NaN"}`, `{"$undefined":true}`) instead of silently turning
 * into null; so are an AbortSignal (`{"$abortSignal":"live"}`) and an async iterable (`{"$asyncIterable":true}`),
 * whose own fields say nothing. Each distinct uuid becomes `id_1`, `id_2`, … (same uuid, same token: ApprovalTests' scrubber), so
 * generated ids never reach a golden file. One Scrubber per recording, so tokens restart at id_1.
 */
export class Scrubber {
  readonly #ids = new Map<string, string>();

  scrub(value: unknown): Json {
    return this.#scrub(value, new WeakSet());
  }

  #scrub(value: unknown, seen: WeakSet<object>): Json {
    if (value === null) return null;
    if (value === undefined) return { $undefined: true };
    if (typeof value === 'string') return this.#scrubString(value);
    if (typeof value === 'boolean') return value;
    if (typeof value === 'number') return Number.isFinite(value) ? value : { $number: String(value) };
    if (typeof value === 'bigint') return { $bigint: value.toString() };
    if (typeof value === 'function') return { $function: value.name || 'anonymous' };
    if (typeof value === 'symbol') return { $symbol: value.description ?? '' };
    if (Decimal.isDecimal(value)) return (value as Decimal).toFixed();
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? { $date: 'Invalid Date' } : value.toISOString();
    // A stream open's signal and the iterable it returns: what matters is their state, not their (empty) fields.
    if (value instanceof AbortSignal) return { $abortSignal: value.aborted ? 'aborted' : 'live' };
    if (typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function')
      return { $asyncIterable: true };
    if (seen.has(value)) return { $circular: true };
    seen.add(value);
    try {
      if (value instanceof Error) return this.#scrubError(value, seen);
      if (value instanceof Map) {
        const out: { [key: string]: Json } = {};
        for (const [k, v] of value) out[String(k)] = this.#scrub(v, seen);
        return out;
      }
      if (value instanceof Set) return [...value].map((v) => this.#scrub(v, seen));
      if (Array.isArray(value)) return value.map((v) => this.#scrub(v, seen));
      const out: { [key: string]: Json } = {};
      for (const [k, v] of Object.entries(value)) {
        if (v !== undefined) out[k] = this.#scrub(v, seen);
      }
      return out;
    } finally {
      seen.delete(value);
    }
  }

  #scrubError(error: Error, seen: WeakSet<object>): Json {
    const out: { [key: string]: Json } = { error: error.name, message: this.#scrubString(error.message) };
    const code = (error as { code?: unknown }).code;
    if (code !== undefined) out.code = this.#scrub(code, seen);
    return out;
  }

  #scrubString(text: string): string {
    if (UUID.test(text)) return this.#token(text);
    // A uuid inside a text (a client id `pb-<uuid>`, a log line naming one) becomes the same token in place.
    return text.replace(UUID_INSIDE, (id) => this.#token(id));
  }

  #token(id: string): string {
    let token = this.#ids.get(id.toLowerCase());
    if (token === undefined) {
      token = `id_${this.#ids.size + 1}`;
      this.#ids.set(id.toLowerCase(), token);
    }
    return token;
  }
}
