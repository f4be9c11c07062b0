import { Decimal } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { compareSymbol } from './compare.js';
import type { SymbolEffects } from './effect-log.js';

const effects = (mark: string, window: string[], extra: Partial<SymbolEffects> = {}): SymbolEffects => ({
  windows: [{ mark: new Decimal(mark), limit: 8, dropped: 0, window: window.map((d) => new Decimal(d)) }],
  risk: [{ at: new Date('2026-03-01T12:00:00Z') }],
  logs: [],
  ...extra,
});

describe('compareSymbol', () => {
  it('compares decimals as decimals: 50000.0 equals 50000', () => {
    expect(compareSymbol('A', 0, effects('50000', ['1', '50000']), effects('50000.0', ['1.00', '5e4']))).toEqual([]);
  });

  it('sees a difference in the last digit that a float would round away', () => {
    const found = compareSymbol(
      'A',
      4,
      effects('0.1', ['0.1']),
      effects('0.10000000000000001', ['0.10000000000000001']),
    );
    expect(found).toEqual([
      {
        symbol: 'A',
        cycle: 4,
        effect: 'window',
        control: [{ mark: '0.1', limit: 8, dropped: 0, window: ['0.1'] }],
        candidate: [{ mark: '0.10000000000000001', limit: 8, dropped: 0, window: ['0.10000000000000001'] }],
      },
    ]);
  });

  it('reports risk, log and fetch differences as separate records', () => {
    const control = effects('1', ['1'], { logs: [{ level: 'debug', message: 'm', fields: { symbol: 'A' } }] });
    const candidate = effects('1', ['1'], {
      risk: [{ at: new Date('2026-03-01T12:00:01Z') }],
      logs: [{ level: 'error', message: 'm', fields: { symbol: 'A' } }],
    });
    expect(compareSymbol('A', 0, control, candidate, [1, 2]).map((m) => m.effect)).toEqual(['fetch', 'risk', 'log']);
  });

  it('ignores the key order of log fields', () => {
    const log = (fields: Record<string, unknown>): SymbolEffects => ({
      windows: [],
      risk: [],
      logs: [{ level: 'error', message: 'x', fields }],
    });
    expect(compareSymbol('A', 0, log({ symbol: 'A', n: 1 }), log({ n: 1, symbol: 'A' }))).toEqual([]);
  });
});
