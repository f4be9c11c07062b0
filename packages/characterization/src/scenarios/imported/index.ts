import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** src/scenarios/imported: one folder per kind, one JSON file per scenario `pnpm golden:import` wrote. */
export const IMPORTED_DIR = fileURLToPath(new URL('./', import.meta.url));

/**
 * The scenarios imported from production shadow records for one kind, in file-name order. They are data as
 * written by the importer; the kind's parse (in the registry) validates them like every other scenario.
 */
export function importedScenarios(kind: string, dir: string = IMPORTED_DIR): unknown[] {
  const folder = join(dir, kind);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(folder, f), 'utf8')) as unknown);
}
