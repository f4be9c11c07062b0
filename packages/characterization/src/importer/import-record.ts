import { hashString } from '@perps-bot/core';
import { canonicalJson, type Json } from '../json/canonical.js';
import { goldenDocument } from '../golden/document.js';
import { goldenFileName, goldenPath, readText, writeText } from '../golden/store.js';
import type { KindRegistry } from '../kinds/registry.js';
import { join } from 'node:path';

/** The part of an `experiment_result` record the importer reads (the payload of the event). */
export interface ImportableRecord {
  readonly experiment: string;
  readonly cycle: number;
  readonly fingerprint?: string;
  readonly outcome: string;
  readonly differences?: readonly { readonly symbol: string; readonly effect: string }[];
  readonly error?: string;
  readonly reproduction?: { readonly kind: string; readonly scenario: Record<string, unknown> };
}

interface ImportOptions {
  readonly record: ImportableRecord;
  readonly registry: KindRegistry;
  /** src/scenarios/imported: the scenario goes to <dir>/<kind>/<name>.json. */
  readonly importedDir: string;
  readonly goldenDir: string;
  /** The scenario's name; by default shadow-<experiment>-c<cycle>-<hash of the reproduction>. */
  readonly name?: string;
  /** Where the record came from, for the description (an event id, a file). */
  readonly source?: string;
}

interface ImportResult {
  readonly kind: string;
  readonly name: string;
  readonly scenarioFile: string;
  readonly goldenFile: string;
}

export class ImportError extends Error {
  override readonly name = 'ImportError';
}

/**
 * `pnpm golden:import`: a shadow mismatch record becomes a scenario of the kind its reproduction names (a JSON
 * file under src/scenarios/imported/<kind>/, which that kind's catalogue loads) and its golden file, recorded
 * from the kind's control (the legacy code) exactly as `pnpm golden:record` does. From then on `pnpm test`
 * checks every candidate against it.
 */
export async function importRecord(options: ImportOptions): Promise<ImportResult> {
  const { record } = options;
  const reproduction = record.reproduction;
  if (!reproduction)
    throw new ImportError(
      `the ${record.experiment} record of cycle ${record.cycle} is "${record.outcome}" and carries no reproduction (only mismatches and candidate errors do)`,
    );
  const kind = options.registry.get(reproduction.kind);
  const name =
    options.name ??
    `shadow-${record.experiment}-c${record.cycle}-${hashString(canonicalJson(reproduction.scenario as Json))
      .toString(16)
      .padStart(8, '0')}`;
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) throw new ImportError(`scenario name "${name}" is not kebab-case`);
  if (kind.scenarios.some((s) => s.name === name))
    throw new ImportError(`${kind.name} already has a scenario "${name}" (pass --name to import it under another)`);
  const what =
    record.outcome === 'candidate_error'
      ? `the candidate threw: ${record.error ?? 'an error'}`
      : (record.differences ?? []).map((d) => `${d.symbol} ${d.effect}`).join(', ') || 'a mismatch';
  const scenario = {
    name,
    description: `Imported from a shadow ${record.outcome} (${record.experiment}, cycle ${record.cycle}, config ${record.fingerprint ?? '?'}${options.source ? `, ${options.source}` : ''}): ${what}.`,
    ...reproduction.scenario,
  };
  const parsed = kind.parse(scenario);
  const scenarioFile = join(options.importedDir, kind.name, `${name}.json`);
  const goldenFile = goldenPath(options.goldenDir, kind.name, name);
  if (readText(scenarioFile) !== undefined) throw new ImportError(`${scenarioFile} exists already`);
  const recording = await kind.control.run(parsed);
  writeText(scenarioFile, canonicalJson(scenario as unknown as Json));
  writeText(goldenFile, canonicalJson(goldenDocument(kind, parsed, kind.control.name, recording)));
  return { kind: kind.name, name, scenarioFile, goldenFile: goldenFileName(kind.name, name) };
}
