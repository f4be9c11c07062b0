import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * The repository's top level is part of its design (DESIGN.md): the workspace, its tool configs and nothing
 * else. Anything new at the root (a script, a symlink, a stray licence) belongs in a package, tooling/ or docs/.
 */
const ALLOWED = new Set([
  'packages',
  'apps',
  'tooling',
  'pnpm-workspace.yaml',
  'turbo.json',
  'package.json',
  'tsconfig.base.json',
  'README.md',
  '.changeset',
  '.ci',
  'docs',
  'pnpm-lock.yaml',
  '.gitignore',
  'eslint.config.js',
  'knip.jsonc',
  '.prettierrc.json',
  '.prettierignore',
]);

describe('the repository top level', () => {
  it('holds only the workspace, its lockfile and its lint/format/changeset/CI config', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    const topLevel = [...new Set(tracked.map((path) => path.split('/')[0] as string))].sort();
    expect(topLevel.filter((entry) => !ALLOWED.has(entry))).toEqual([]);
    for (const required of [
      'packages',
      'apps',
      'tooling',
      'pnpm-workspace.yaml',
      'turbo.json',
      'package.json',
      'tsconfig.base.json',
      'README.md',
    ]) {
      expect(topLevel).toContain(required);
    }
  });
});
