import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteRiskStateStore } from './sqlite-risk-state-store.js';
import { tempDir } from './test-utils.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

describe('SqliteRiskStateStore', () => {
  it('keeps the last saved state across a reopen (a restart), and nothing before the first save', () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const file = join(dir, 'perps_bot', 'dev', 'risk.sqlite');
    const first = new SqliteRiskStateStore({ file });
    expect(first.load()).toBeNull();
    first.save(
      { killSwitch: { enabled: true, reason: 'volatility_circuit_breaker' } },
      new Date('2026-03-02T10:00:00Z'),
    );
    first.save(
      { killSwitch: { enabled: true, reason: 'manual' }, symbolReduceOnly: { 'BTC-PERP': 'liquidation_buffer' } },
      new Date('2026-03-02T10:01:00Z'),
    );
    first.close();
    const reader = new SqliteRiskStateStore({ file, readonly: true });
    expect(reader.load()).toEqual({
      state: {
        killSwitch: { enabled: true, reason: 'manual' },
        symbolReduceOnly: { 'BTC-PERP': 'liquidation_buffer' },
      },
      updatedAt: '2026-03-02T10:01:00.000Z',
    });
    reader.close();
  });
});
