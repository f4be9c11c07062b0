import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Json } from './canonical.js';

/** packages/characterization/golden, from src/golden (tests, tsx) and from dist/golden alike. */
export const DEFAULT_GOLDEN_DIR = fileURLToPath(new URL('../../golden/', import.meta.url));

const RECEIVED = '.received.json';

export const goldenPath = (root: string, kind: string, scenario: string): string => join(root, kind, `${scenario}.json`);

/** Beside the golden file, one per runner, git-ignored (*.received.json). */
export const receivedPath = (root: string, kind: string, scenario: string, runner: string): string =>
  join(root, kind, `${scenario}.${runner}${RECEIVED}`);

export function readJson(path: string): Json | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Json) : undefined;
}

export function readText(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

export function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

export function remove(path: string): void {
  rmSync(path, { force: true });
}

export interface GoldenFile {
  readonly kind: string;
  readonly scenario: string;
  readonly path: string;
}

/** Every golden file on disk (received files excluded), whatever kind directory it is in. */
export function listGoldenFiles(root: string): GoldenFile[] {
  if (!existsSync(root)) return [];
  const out: GoldenFile[] = [];
  for (const kind of readdirSync(root, { withFileTypes: true })) {
    if (!kind.isDirectory()) continue;
    for (const file of readdirSync(join(root, kind.name))) {
      if (!file.endsWith('.json') || file.endsWith(RECEIVED)) continue;
      out.push({ kind: kind.name, scenario: file.slice(0, -'.json'.length), path: join(root, kind.name, file) });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
