import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Json } from '../json/canonical.js';

/** packages/characterization/golden, from src/golden (tests, tsx) and from dist/golden alike. */
export const DEFAULT_GOLDEN_DIR = fileURLToPath(new URL('../../golden/', import.meta.url));

const RECEIVED = '.received.json';
const CANDIDATE = '.candidate';

/** Which golden file: the control's (every scenario has one) or the candidates' (scenarios with `differsUnder`). */
export type GoldenRole = 'control' | 'candidate';

export const goldenPath = (root: string, kind: string, scenario: string, role: GoldenRole = 'control'): string =>
  join(root, kind, `${scenario}${role === 'candidate' ? CANDIDATE : ''}.json`);

/** `<kind>/<scenario>.json` or `<kind>/<scenario>.candidate.json`: how summaries and tests name a golden file. */
export const goldenFileName = (kind: string, scenario: string, role: GoldenRole = 'control'): string =>
  `${kind}/${scenario}${role === 'candidate' ? CANDIDATE : ''}.json`;

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
  readonly role: GoldenRole;
  /** `<kind>/<file name>`, as goldenFileName gives it. */
  readonly file: string;
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
      const base = file.slice(0, -'.json'.length);
      const role: GoldenRole = base.endsWith(CANDIDATE) ? 'candidate' : 'control';
      const scenario = role === 'candidate' ? base.slice(0, -CANDIDATE.length) : base;
      out.push({ kind: kind.name, scenario, role, file: `${kind.name}/${file}`, path: join(root, kind.name, file) });
    }
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
