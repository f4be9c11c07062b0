import { Decimal } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { Recorder } from './recorder.js';
import { Scrubber } from './scrub.js';

class Counter {
  #n = 0;
  get value(): number {
    return this.#n;
  }
  add(by: number): number {
    this.#n += by;
    return this.#n;
  }
  fail(): void {
    throw new Error('nope');
  }
  async later(value: string): Promise<string> {
    return value;
  }
  async reject(): Promise<never> {
    throw new TypeError('bad');
  }
}

describe('Recorder.proxy', () => {
  it('records calls in order with their outcome, on classes with private fields', async () => {
    const recorder = new Recorder(['calls']);
    const counter = recorder.proxy(new Counter(), { name: 'counter', channel: 'calls' });
    counter.add(2);
    expect(() => counter.fail()).toThrow('nope');
    recorder.setPhase(0);
    await counter.later('x');
    await expect(counter.reject()).rejects.toThrow('bad');
    expect(counter.value).toBe(2);
    expect(recorder.channels().calls).toEqual([
      { cycle: 'init', effect: 'counter.add', args: [2], returned: 2 },
      { cycle: 'init', effect: 'counter.fail', args: [], threw: { error: 'Error', message: 'nope' } },
      { cycle: 0, effect: 'counter.later', args: ['x'], resolved: 'x' },
      { cycle: 0, effect: 'counter.reject', args: [], rejected: { error: 'TypeError', message: 'bad' } },
    ]);
  });

  it('keeps an async call in call order even when it settles after a later call', async () => {
    const recorder = new Recorder(['calls']);
    let release: (v: string) => void = () => undefined;
    const slow = new Promise<string>((r) => (release = r));
    const target = { fetch: (s: string) => (s === 'slow' ? slow : Promise.resolve(s)) };
    const proxy = recorder.proxy(target, { name: 't', channel: 'calls' });
    const first = proxy.fetch('slow');
    await proxy.fetch('fast');
    release('done');
    await first;
    expect(recorder.channels().calls?.map((e) => (e as { resolved: string }).resolved)).toEqual(['done', 'fast']);
  });

  it('records only the listed methods and passes the others through', () => {
    const recorder = new Recorder(['calls', 'other']);
    const counter = recorder.proxy(new Counter(), { name: 'c', channel: 'calls', methods: ['fail'] });
    counter.add(1);
    expect(recorder.channels()).toEqual({ calls: [], other: [] });
  });

  it('writes the phase under the key a kind chooses', () => {
    const recorder = new Recorder(['effects'], { phaseKey: 'at' });
    recorder.record('effects', 'first', {});
    recorder.setPhase('conn 0 step 3');
    recorder.record('effects', 'second', { symbol: 'BTC-USD' });
    expect(recorder.channels().effects).toEqual([
      { at: 'init', effect: 'first' },
      { at: 'conn 0 step 3', effect: 'second', symbol: 'BTC-USD' },
    ]);
  });

  it('refuses an undeclared channel', () => {
    expect(() => new Recorder(['a']).record('b', 'x', {})).toThrow('unknown channel "b"');
  });
});

describe('Scrubber', () => {
  it('turns decimals, dates, maps, sets and errors into run-independent JSON', () => {
    const scrubbed = new Scrubber().scrub({
      price: new Decimal('50000.10'),
      at: new Date('2026-03-01T12:00:00Z'),
      bad: new Date('garbage'),
      map: new Map([['BTC', new Decimal('1e-8')]]),
      set: new Set([1, 2]),
      error: Object.assign(new Error('boom'), { code: 'BAD_QUOTE' }),
      skipped: undefined,
    });
    expect(scrubbed).toEqual({
      price: '50000.1',
      at: '2026-03-01T12:00:00.000Z',
      bad: { $date: 'Invalid Date' },
      map: { BTC: '0.00000001' },
      set: [1, 2],
      error: { error: 'Error', message: 'boom', code: 'BAD_QUOTE' },
    });
  });

  it('tags values JSON cannot hold instead of turning them into null', () => {
    const s = new Scrubber();
    expect([Number.NaN, Number.NEGATIVE_INFINITY, undefined, 10n].map((v) => s.scrub(v))).toEqual([
      { $number: 'NaN' },
      { $number: '-Infinity' },
      { $undefined: true },
      { $bigint: '10' },
    ]);
  });

  it('replaces each distinct uuid by the same token every time it appears, alone or inside a text', () => {
    const a = '123e4567-e89b-12d3-a456-426614174000';
    const b = '9f1c2d3e-0000-4000-8000-000000000001';
    expect(new Scrubber().scrub([a, b, a.toUpperCase(), `pb-${a}`, `order ${b} of pb-${a}`, 'pb-123e4567'])).toEqual([
      'id_1',
      'id_2',
      'id_1',
      'pb-id_1',
      'order id_2 of pb-id_1',
      'pb-123e4567',
    ]);
  });

  it('marks a cycle instead of recursing forever, but repeats a shared object', () => {
    const shared = { x: 1 };
    const loop: Record<string, unknown> = { shared, again: shared };
    loop.self = loop;
    expect(new Scrubber().scrub(loop)).toEqual({ shared: { x: 1 }, again: { x: 1 }, self: { $circular: true } });
  });

  it('tags a signal by its state and an async iterable as such (a stream open’s argument and result)', () => {
    const controller = new AbortController();
    const live = new Scrubber().scrub([controller.signal]);
    controller.abort();
    async function* stream(): AsyncGenerator<number> {
      yield 1;
    }
    expect([live, new Scrubber().scrub([controller.signal, stream()])]).toEqual([
      [{ $abortSignal: 'live' }],
      [{ $abortSignal: 'aborted' }, { $asyncIterable: true }],
    ]);
  });
});
