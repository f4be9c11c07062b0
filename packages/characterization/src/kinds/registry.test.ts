import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { defaultRegistry } from './default-registry.js';
import { executionKind } from './execution/kind.js';
import { markUpdateKind } from './mark-update/kind.js';
import type { BaseScenario, KindDefinition } from './kind.js';
import { KindRegistry } from './registry.js';
import { streamKind } from './stream/kind.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the default registry', () => {
  it('is the one place a catalogue is imported: no kind, test or script imports one itself (the imported-scenario loader, which the catalogues read, aside)', () => {
    const importers = sources(SRC)
      .filter((file) => !relative(SRC, file).startsWith('scenarios/'))
      .filter((file) => /from '[./]*\/scenarios\/(?!imported\/)[a-z-]+\/index\.js'/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(SRC, file));
    expect(importers).toEqual(['kinds/default-registry.ts']);
  });

  it('holds every kind with its catalogue, read back typed by its definition', () => {
    const registry = defaultRegistry();
    expect(registry.names()).toEqual(['mark-update', 'stream', 'execution']);
    const definitions: readonly KindDefinition<BaseScenario>[] = [markUpdateKind, streamKind, executionKind];
    for (const definition of definitions) {
      const kind = registry.kind(definition);
      expect(kind.control).toBe(definition.control);
      expect(kind.scenarios.length).toBeGreaterThan(0);
      expect(registry.get(definition.name)).toBe(kind);
    }
    expect(registry.scenario(streamKind, 'stream-ends').differsUnder).toBe('stream-reconnect');
    expect(() => registry.scenario(streamKind, 'no-such-scenario')).toThrow('No scenario "stream/no-such-scenario"');
  });

  it('refuses a definition it does not hold, and a kind that carries its own catalogue', () => {
    expect(() => new KindRegistry().kind(streamKind)).toThrow('Scenario kind "stream" is not registered');
    const lookalike = { ...streamKind };
    expect(() => new KindRegistry().register(streamKind, []).kind(lookalike)).toThrow('is not registered');
    const carrying = { ...streamKind, scenarios: [] };
    expect(() => new KindRegistry().register(carrying, [])).toThrow('carries its own scenarios');
  });
});
