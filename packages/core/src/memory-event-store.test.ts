import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { PerpsBotError } from './errors.js';
import { MemoryEventStore } from './memory-event-store.js';

describe('MemoryEventStore', () => {
  it('keeps metrics and events in append order with a sequence number and the clock time', () => {
    const clock = new ManualClock('2026-01-01T00:00:00.000Z');
    const store = new MemoryEventStore({ clock });
    store.appendMetric('bot', { event_type: 'a' });
    clock.advance(1500);
    store.appendEvent('trade', 'bot', { id: 1 });
    expect(store.events).toEqual([
      { seq: 1, type: 'metric', botId: 'bot', time: '2026-01-01T00:00:00.000Z', payload: { event_type: 'a' } },
      { seq: 2, type: 'trade', botId: 'bot', time: '2026-01-01T00:00:01.500Z', payload: { id: 1 } },
    ]);
    expect(store.count()).toBe(2);
    expect(store.tail(1).map((e) => e.seq)).toEqual([2]);
    expect(store.metrics()).toEqual([{ event_type: 'a' }]);
  });

  it('refuses appends after close, as a durable store would', () => {
    const store = new MemoryEventStore();
    store.close();
    expect(() => store.appendMetric('bot', {})).toThrow(PerpsBotError);
  });

  it('with jsonRoundTrip, gives back what a durable store would: a copy, dates as strings, undefined gone', () => {
    const store = new MemoryEventStore({ jsonRoundTrip: true });
    const payload = { at: new Date('2026-01-01T00:00:00.000Z'), gone: undefined, nested: { n: 1 } };
    store.appendEvent('trade', 'bot', payload);
    payload.nested.n = 2;
    expect(store.ofType('trade')[0]?.payload).toEqual({ at: '2026-01-01T00:00:00.000Z', nested: { n: 1 } });
    expect(store.ofType('metric')).toEqual([]);
    expect(store.closed).toBe(false);
    store.close();
    expect(store.closed).toBe(true);
  });
});
