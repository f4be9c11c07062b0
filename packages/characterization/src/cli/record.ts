import { formatSummary, recordGoldens, summaryHasChanges } from '../golden/record.js';
import { DEFAULT_GOLDEN_DIR } from '../golden/store.js';
import { defaultRegistry } from '../kinds/default-registry.js';

// `pnpm golden:record [--check]`: re-record every golden file from the control path, or (--check) fail if
// recording would change anything. Golden files are never edited by hand.
const out = (text: string): boolean => process.stdout.write(`${text}\n`);
const err = (text: string): boolean => process.stderr.write(`${text}\n`);
const args = process.argv.slice(2).filter((a) => a !== '--');
const unknown = args.filter((a) => a !== '--check');
if (unknown.length > 0) {
  err(`unknown argument(s): ${unknown.join(' ')}\nusage: pnpm golden:record [--check]`);
  process.exit(2);
}
// exitCode rather than exit(): let the summary reach a pipe in full before the process ends.
const check = args.includes('--check');
const started = performance.now();
const summary = await recordGoldens({ registry: defaultRegistry(), goldenDir: DEFAULT_GOLDEN_DIR, check });
out(formatSummary(summary, check));
out(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
if (check && summaryHasChanges(summary)) {
  err('golden files are out of date: run `pnpm golden:record`, review the diff and commit the files');
  process.exitCode = 1;
}
