import { ManualClock } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { MarketActivityMonitor } from './market-activity-monitor.js';

describe('MarketActivityMonitor', () => {
  it('starts every configured symbol as just updated, and records later updates', () => {
    const clock = new ManualClock('2026-01-01T00:00:00.000Z');
    const monitor = new MarketActivityMonitor(['BTC-USD'], { clock });
    expect(monitor.lastUpdate('BTC-USD')).toEqual(clock.now());
    clock.advance(700);
    monitor.recordUpdate('ETH-USD');
    expect(monitor.lastUpdate('ETH-USD')?.toISOString()).toBe('2026-01-01T00:00:00.700Z');
    expect(monitor.ageMs('BTC-USD')).toBe(700);
    expect(monitor.lastUpdate('SOL-USD')).toBeUndefined();
  });

  it('is stale only strictly past the threshold', () => {
    const clock = new ManualClock();
    const monitor = new MarketActivityMonitor(['BTC-USD'], { clock, maxStalenessMs: 5_000 });
    clock.advance(5_000);
    expect(monitor.isStale('BTC-USD')).toBe(false);
    expect(monitor.checkStaleness()).toBe(false);
    clock.advance(1);
    expect(monitor.isStale('BTC-USD')).toBe(true);
    expect(monitor.shouldFallbackToRest()).toBe(true);
    monitor.recordUpdate('BTC-USD');
    expect(monitor.checkStaleness()).toBe(false);
    expect(monitor.isStale('never-seen')).toBe(false);
  });

  it('asks for the REST fallback after more than maxFailures consecutive failures', () => {
    const monitor = new MarketActivityMonitor([], { clock: new ManualClock(), maxFailures: 2 });
    monitor.recordFailure();
    monitor.recordFailure();
    expect(monitor.shouldFallbackToRest()).toBe(false);
    monitor.recordFailure();
    expect(monitor.shouldFallbackToRest()).toBe(true);
    monitor.recordSuccess();
    expect(monitor.consecutiveFailures).toBe(0);
  });
});
