import { describe, expect, it } from 'vitest';
import { AsyncQueue } from './async-queue.js';

const drain = async <T>(queue: AsyncQueue<T>, n: number): Promise<T[]> => {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push((await queue.next()).value as T);
  return out;
};

describe('AsyncQueue', () => {
  it('is bounded in bytes: the oldest items go until the rest fit, the newest always stays', async () => {
    const dropped: number[] = [];
    const queue = new AsyncQueue<string>({ maxBytes: 10, sizeOf: (s) => s.length, onDrop: (n) => dropped.push(n) });
    for (const s of ['aaaa', 'bbbb', 'cccc', 'dddddddddddddddd']) queue.push(s);
    expect(dropped).toEqual([1, 2]);
    expect(queue.size).toBe(1);
    expect(queue.bytes).toBe(16);
    expect(queue.dropped).toBe(3);
    expect(await drain(queue, 1)).toEqual(['dddddddddddddddd']);
  });

  it('keeps order across ring growth and wrap-around, bounded by count', async () => {
    const queue = new AsyncQueue<number>({ limit: 100 });
    for (let i = 0; i < 1_000; i++) queue.push(i);
    expect(queue.size).toBe(100);
    expect(await drain(queue, 50)).toEqual(Array.from({ length: 50 }, (_, i) => 900 + i));
    for (let i = 1_000; i < 1_030; i++) queue.push(i);
    expect(await drain(queue, 80)).toEqual([
      ...Array.from({ length: 50 }, (_, i) => 950 + i),
      ...Array.from({ length: 30 }, (_, i) => 1_000 + i),
    ]);
  });

  it('returns a drop marker first after drops, with the number dropped since the last read', async () => {
    const queue = new AsyncQueue<string>({ limit: 2, dropMarker: (n) => `dropped ${n}` });
    for (const s of ['a', 'b', 'c', 'd', 'e']) queue.push(s);
    expect(await drain(queue, 3)).toEqual(['dropped 3', 'd', 'e']);
    queue.push('f');
    expect(await drain(queue, 1)).toEqual(['f']);
  });

  it('hands an item straight to a waiting reader, and ends readers on end()', async () => {
    const queue = new AsyncQueue<number>();
    const waiting = queue.next();
    queue.push(7);
    expect(await waiting).toEqual({ value: 7, done: false });
    const pending = queue.next();
    queue.end();
    expect(await pending).toEqual({ value: undefined, done: true });
  });
});
