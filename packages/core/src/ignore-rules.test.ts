import { describe, expect, it } from 'vitest';
import { ignoringRule, judgeMismatches, type IgnoreRule, type Mismatch } from './ignore-rules.js';

const wider: IgnoreRule = {
  name: 'wider-window',
  reason: 'the candidate keeps one more mark',
  ignores: (m) => m.path === 'window' && Array.isArray(m.candidate) && m.candidate.length === 2,
};
const anyLog: IgnoreRule = { name: 'any-log', reason: 'logs are free text', ignores: (m) => m.path === 'log' };
const at = (path: string, candidate: unknown): Mismatch => ({
  path,
  control: ['1'],
  candidate,
  context: { experiment: 'mark-update', symbol: 'BTC-USD', cycle: 0 },
});

describe('ignore rules', () => {
  it('name the first rule that ignores a mismatch, and none for a difference no rule names', () => {
    expect(ignoringRule([wider, anyLog], at('log', []))?.name).toBe('any-log');
    expect(ignoringRule([wider, anyLog], at('window', ['1', '2']))?.name).toBe('wider-window');
    expect(ignoringRule([wider, anyLog], at('window', ['1', '2', '3']))).toBeUndefined();
  });

  it('keep what no rule accepts and count the rest under each rule', () => {
    const found = [at('window', ['1', '2']), at('window', ['1', '2']), at('risk', []), at('log', [])];
    const { kept, ignoredBy } = judgeMismatches(found, [wider, anyLog], (m) => m);
    expect(kept).toEqual([at('risk', [])]);
    expect([...ignoredBy]).toEqual([
      ['wider-window', 2],
      ['any-log', 1],
    ]);
  });
});
