import { resolve } from 'node:path';
import { DEFAULT_GOLDEN_DIR } from '../golden/store.js';
import { importRecord, ImportError } from '../importer/import-record.js';
import { recordFromFile, recordFromStore } from '../importer/read-record.js';
import { defaultRegistry } from '../kinds/default-registry.js';
import { IMPORTED_DIR } from '../scenarios/imported/index.js';

// `pnpm golden:import <record-file | event-id> [--data-dir D] [--profile P] [--name N]`: a shadow mismatch
// record becomes a scenario (src/scenarios/imported/<kind>/<name>.json) and its golden file, recorded from the
// legacy path. An event id is read from <data-dir>/perps_bot/<profile>/events.sqlite (default var/data, dev).
const USAGE =
  'usage: pnpm golden:import <record-file | event-id> [--data-dir <dir>] [--profile <name>] [--name <scenario-name>]';
const out = (text: string): boolean => process.stdout.write(`${text}\n`);
const err = (text: string): boolean => process.stderr.write(`${text}\n`);
// Relative paths are the caller's: pnpm runs this script inside the package, and says where it was called from.
const cwd = process.env.INIT_CWD ?? process.cwd();

const args = process.argv.slice(2).filter((a) => a !== '--');
const options: Record<string, string> = {};
const positional: string[] = [];
for (let i = 0; i < args.length; i++) {
  const arg = args[i] as string;
  if (arg === '--data-dir' || arg === '--profile' || arg === '--name') {
    const value = args[++i];
    if (value === undefined) {
      err(`${arg} needs a value\n${USAGE}`);
      process.exit(2);
    }
    options[arg.slice(2)] = value;
  } else if (arg.startsWith('--')) {
    err(`unknown option ${arg}\n${USAGE}`);
    process.exit(2);
  } else positional.push(arg);
}
if (positional.length !== 1) {
  err(USAGE);
  process.exit(2);
}
const source = positional[0] as string;
try {
  const record = /^\d+$/.test(source)
    ? recordFromStore(Number(source), {
        dataDir: options['data-dir'] ?? 'var/data',
        profile: options.profile ?? 'dev',
        cwd,
      })
    : recordFromFile(resolve(cwd, source));
  const result = await importRecord({
    record,
    registry: defaultRegistry(),
    importedDir: IMPORTED_DIR,
    goldenDir: DEFAULT_GOLDEN_DIR,
    source: /^\d+$/.test(source) ? `event ${source}` : `file ${source}`,
    ...(options.name === undefined ? {} : { name: options.name }),
  });
  out(`imported ${result.kind}/${result.name}`);
  out(`+ ${result.scenarioFile}`);
  out(`+ golden/${result.goldenFile} (recorded from the legacy path)`);
  out('run `pnpm test` (the scenario is now in its kind’s catalogue), review both files and commit them');
} catch (error) {
  if (!(error instanceof ImportError || error instanceof Error)) throw error;
  err(`golden:import: ${error.message}`);
  process.exitCode = 1;
}
