import type { QuoteSource } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { QuoteTape } from './quote-tape.js';

describe('QuoteTape', () => {
  it('replays each answer of the real broker to the candidate without asking it again', async () => {
    let calls = 0;
    const broker: QuoteSource = {
      getQuote: (symbol) => {
        calls++;
        if (calls === 2) throw new Error('sync boom');
        if (calls === 3) return Promise.reject(new Error('async boom'));
        return Promise.resolve({ symbol, n: calls } as never);
      },
    };
    const tape = new QuoteTape(() => broker);
    expect(await tape.control.getQuote('A')).toEqual({ symbol: 'A', n: 1 });
    expect(() => tape.control.getQuote('A')).toThrow('sync boom');
    await expect(tape.control.getQuote('A')).rejects.toThrow('async boom');
    expect(await tape.candidate.getQuote('A')).toEqual({ symbol: 'A', n: 1 });
    await expect(tape.candidate.getQuote('A')).rejects.toThrow('sync boom');
    await expect(tape.candidate.getQuote('A')).rejects.toThrow('async boom');
    await expect(tape.candidate.getQuote('A')).rejects.toThrow('shadow: the control made no quote request #4 for A');
    await expect(tape.candidate.getQuote('B')).rejects.toThrow('no quote request #1 for B');
    expect(calls).toBe(3);
    expect([...tape.counts()]).toEqual([
      ['A', [3, 4]],
      ['B', [0, 1]],
    ]);
  });
});
