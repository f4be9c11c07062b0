import { describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { ExchangeTimeGuard } from './exchange-time.js';
import { MemoryLogger } from './logger.js';

const NOW = '2026-03-01T12:00:00.000Z';

function guard(maxSkewMs?: number): { g: ExchangeTimeGuard; logger: MemoryLogger; clock: ManualClock } {
  const clock = new ManualClock(new Date(NOW));
  const logger = new MemoryLogger();
  return {
    g: new ExchangeTimeGuard({ clock, logger, ...(maxSkewMs === undefined ? {} : { maxSkewMs }) }),
    logger,
    clock,
  };
}

describe('ExchangeTimeGuard', () => {
  it('keeps an exchange time in the past or within the skew', () => {
    const { g, logger } = guard();
    const past = new Date('2026-03-01T11:59:00.000Z');
    const ahead = new Date('2026-03-01T12:00:05.000Z');
    expect(g.timeOf('BTC-USD', past)).toBe(past);
    expect(g.timeOf('BTC-USD', ahead)).toBe(ahead);
    expect(logger.records).toEqual([]);
  });

  it('replaces a time later than now + skew by the receive time', () => {
    const { g } = guard();
    expect(g.timeOf('BTC-USD', new Date('2030-01-01T00:00:00.000Z')).toISOString()).toBe(NOW);
    expect(g.timeOf('BTC-USD', new Date('2026-03-01T12:00:05.001Z')).toISOString()).toBe(NOW);
  });

  it('logs once per symbol, not once per answer, and counts every replacement', () => {
    const { g, logger } = guard(1_000);
    const future = new Date('2027-01-01T00:00:00.000Z');
    for (let i = 0; i < 5; i++) g.timeOf('BTC-USD', future);
    g.timeOf('ETH-USD', future);
    expect(logger.at('warn').map((r) => r.fields.symbol)).toEqual(['BTC-USD', 'ETH-USD']);
    expect(logger.at('warn')[0]?.message).toContain('more than 1000 ms');
    expect([...g.replacements()]).toEqual([
      ['BTC-USD', 5],
      ['ETH-USD', 1],
    ]);
  });

  it('uses now for a missing or invalid time', () => {
    const { g } = guard();
    expect(g.timeOf('BTC-USD', null).toISOString()).toBe(NOW);
    expect(g.timeOf('BTC-USD', new Date('garbage')).toISOString()).toBe(NOW);
  });
});
