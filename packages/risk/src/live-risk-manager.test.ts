import { ManualClock } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { LiveRiskManager } from './live-risk-manager.js';

describe('LiveRiskManager mark staleness', () => {
  const setup = () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    return { clock, risk: new LiveRiskManager({ clock }) };
  };

  it('treats a symbol never marked as fresh', () => {
    const { risk } = setup();
    expect(risk.isMarkStale('BTC-USD')).toBe(false);
    expect(risk.markAgeMs('BTC-USD')).toBeUndefined();
  });

  it('is fresh at exactly the limit and stale one millisecond past it', () => {
    const { risk, clock } = setup();
    risk.recordMarkUpdate('BTC-USD', clock.now());
    clock.advance(180_000);
    expect(risk.isMarkStale('BTC-USD')).toBe(false);
    clock.advance(1);
    expect(risk.isMarkStale('BTC-USD')).toBe(true);
    expect(risk.lastMarkUpdate.get('BTC-USD')?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
});
