import type { Json } from '../json/canonical.js';
import { Scrubber } from './scrub.js';

/**
 * When an effect happened: while the harness set the scene ("init"), during cycle n (0-based), or a label a
 * kind chooses (the stream kind: "conn 0 step 3", the scripted step the source played last).
 */
export type Phase = number | string;

export type Entry = { [key: string]: Json };

export interface ProxyOptions {
  /** Prefix of the effect name: `${name}.${method}` ("broker.getQuote", "log.error"). */
  readonly name: string;
  /** The channel the calls go to. */
  readonly channel: string;
  /** Only these methods are recorded (others pass through unrecorded); all methods when absent. */
  readonly methods?: readonly string[];
}

/**
 * Collects side effects into named channels. Each channel is ordered, and that order is part of the contract;
 * the order between channels is not (a service may prefetch quotes while it applies earlier effects).
 * Everything is scrubbed when recorded, so later mutation of an argument cannot change the recording.
 */
export class Recorder {
  readonly scrubber = new Scrubber();
  readonly #channels = new Map<string, Entry[]>();
  readonly #phaseKey: string;
  #phase: Phase = 'init';

  /**
   * Declared channels appear in the recording even when nothing was written to them. `phaseKey` is the
   * entry field that holds the phase ("cycle" by default; the stream kind uses "at").
   */
  constructor(channels: readonly string[], options: { readonly phaseKey?: string } = {}) {
    for (const channel of channels) this.#channels.set(channel, []);
    this.#phaseKey = options.phaseKey ?? 'cycle';
  }

  get phase(): Phase {
    return this.#phase;
  }

  setPhase(phase: Phase): void {
    this.#phase = phase;
  }

  /** Appends an entry (scrubbed, tagged with the current phase) and returns it so an outcome can be added later. */
  record(channel: string, effect: string, fields: Record<string, unknown>): Entry {
    const entries = this.#channels.get(channel);
    if (!entries)
      throw new RangeError(
        `Recorder: unknown channel "${channel}" (declared: ${[...this.#channels.keys()].join(', ')})`,
      );
    const entry: Entry = { [this.#phaseKey]: this.#phase, effect };
    for (const [key, value] of Object.entries(fields)) entry[key] = this.scrubber.scrub(value);
    entries.push(entry);
    return entry;
  }

  /**
   * Wraps a collaborator so that each method call is recorded with its arguments and its outcome (returned,
   * threw, resolved or rejected). Methods run on the real target (not the proxy) so classes with private
   * fields keep working; the outcome is written into the call's entry, whose place in the channel is the call order.
   */
  proxy<T extends object>(target: T, options: ProxyOptions): T {
    const wrapped = new Map<PropertyKey, unknown>();
    return new Proxy(target, {
      get: (obj, prop) => {
        const value: unknown = Reflect.get(obj, prop, obj);
        if (typeof value !== 'function') return value;
        const cached = wrapped.get(prop);
        if (cached) return cached;
        const method = value as (...args: unknown[]) => unknown;
        const recorded = typeof prop === 'string' && (options.methods === undefined || options.methods.includes(prop));
        const fn = recorded
          ? (...args: unknown[]) => this.#call(obj, method, args, `${options.name}.${prop}`, options.channel)
          : method.bind(obj);
        wrapped.set(prop, fn);
        return fn;
      },
    });
  }

  #call(
    target: object,
    method: (...args: unknown[]) => unknown,
    args: unknown[],
    effect: string,
    channel: string,
  ): unknown {
    const entry = this.record(channel, effect, { args });
    let result: unknown;
    try {
      result = method.apply(target, args);
    } catch (error) {
      entry.threw = this.scrubber.scrub(error);
      throw error;
    }
    if (isThenable(result)) {
      return Promise.resolve(result).then(
        (value) => {
          entry.resolved = this.scrubber.scrub(value);
          return value;
        },
        (error: unknown) => {
          entry.rejected = this.scrubber.scrub(error);
          throw error;
        },
      );
    }
    if (result !== undefined) entry.returned = this.scrubber.scrub(result);
    return result;
  }

  /** The recorded channels, in declaration order. */
  channels(): Record<string, Json[]> {
    const out: Record<string, Json[]> = {};
    for (const [name, entries] of this.#channels) out[name] = entries;
    return out;
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
