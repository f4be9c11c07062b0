import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from './profiles.js';
import { SETTINGS, type SettingSpec } from './settings.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the settings table', () => {
  it.each((SETTINGS as readonly SettingSpec[]).map((s) => [s.key, s] as const))(
    'documents %s in the README with its variables and flag',
    (key, spec) => {
      const row = readme.split('\n').find((line) => line.startsWith(`| \`${key}\` |`));
      expect(row).toBeDefined();
      for (const name of spec.env ?? []) expect(row).toContain(`\`${name}\``);
      if (spec.flag) expect(row).toContain(`\`${spec.flag}\``);
    },
  );

  it('gives every setting except optional ones and secrets a default', () => {
    const optional = new Set([
      'tradingWindowStart',
      'tradingWindowEnd',
      'tradingDays',
      'eventStoreRoot',
      'apiKeyName',
      'apiPrivateKey',
      'apiKeyFile',
    ]);
    for (const spec of SETTINGS as readonly SettingSpec[]) {
      expect((DEFAULTS as Record<string, unknown>)[spec.key] === undefined, spec.key).toBe(optional.has(spec.key));
    }
  });
});
