import { Decimal, MemoryLogger } from '@perps-bot/core';
import { MarkWindows } from '@perps-bot/market-data';
import { describe, expect, it } from 'vitest';
import { RecordingRisk, captureEffects, countEffects, diffEffects } from './effects.js';

function run(marks: string[], logs: string[], at = '2026-03-01T00:00:00.000Z') {
  const windows = new MarkWindows({ limit: 3 });
  const risk = new RecordingRisk();
  const logger = new MemoryLogger();
  for (const m of marks) windows.append('BTC-USD', new Decimal(m));
  risk.recordMarkUpdate('BTC-USD', new Date(at));
  for (const l of logs) logger.error(l);
  return captureEffects(windows, risk, logger);
}

describe('effects comparison', () => {
  it('finds nothing between identical runs, and counts what they did', () => {
    const a = run(['1', '2', '3', '4'], ['x']);
    expect(diffEffects(a, run(['1', '2', '3', '4'], ['x']))).toEqual([]);
    expect(countEffects(a)).toEqual({ marks: 3, risk: 1, logs: 1 });
  });

  it('names a differing window, risk timestamp and log line', () => {
    const diffs = diffEffects(run(['1', '2'], ['x']), run(['1', '3'], ['y'], '2026-03-01T00:00:01.000Z'));
    expect(diffs).toEqual([
      'window BTC-USD: ["1","2"] ≠ ["1","3"]',
      'risk BTC-USD: 2026-03-01T00:00:00.000Z ≠ 2026-03-01T00:00:01.000Z',
      'log #1: error: x ≠ error: y',
    ]);
  });

  it('treats equal decimals written differently as the same mark (exact decimal comparison)', () => {
    expect(diffEffects(run(['2.0'], []), run(['2'], []))).toEqual([]);
  });
});
