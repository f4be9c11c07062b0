import { ConfigError, type MarketDataMode } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { runMarkUpdateOnBot } from './run-on-bot.js';
import type { MarkUpdateScenario } from './scenario.js';

// The mark windows' limit comes from shortMa and longMa (max + 5). A limit that is not a whole number ≥ 1
// must stop the bot at initialisation with ConfigError 'markWindowLimit', on the legacy path and the
// candidates alike (they share one MarkWindows). The scenario schema only admits whole MAs ≥ 1, so these
// bots are built from raw scenario objects, which runMarkUpdateOnBot takes without parsing.

const base: MarkUpdateScenario = {
  name: 'window-limit',
  description: 'MA lengths that make a bad window limit',
  symbols: ['BTC-PERP'],
  shortMa: 2,
  longMa: 3,
  clock: { start: '2026-03-01T12:00:00.000Z', stepMs: 5_000 },
  quotes: { 'BTC-PERP': [{ type: 'quote', last: '100', ts: '2026-03-01T11:00:00.000Z' }] },
  cycles: 1,
};
const MODES: readonly MarketDataMode[] = ['legacy', 'new', 'shadow'];

describe.each(MODES)('the mark window limit (%s)', (mode) => {
  it.each([
    ['a fraction', 2.5, 2, '7.5'],
    ['zero', -5, -5, '0'],
    ['a negative number', -6, -7, '-1'],
  ])('refuses %s with ConfigError markWindowLimit', async (_what, shortMa, longMa, limit) => {
    const run = runMarkUpdateOnBot({ ...base, shortMa, longMa }, { mode });
    await expect(run).rejects.toThrow(ConfigError);
    await expect(run).rejects.toMatchObject({
      setting: 'markWindowLimit',
      message: `Mark window limit must be a whole number ≥ 1, got ${limit}; check shortMa and longMa`,
    });
  });

  it('accepts a limit of exactly 1 and keeps one mark', async () => {
    const recording = await runMarkUpdateOnBot({ ...base, shortMa: -4, longMa: -4 }, { mode });
    expect(recording.final.windows).toEqual({ 'BTC-PERP': ['100'] });
  });
});
