import { formatSummary, recordGoldens, summaryHasChanges } from '../golden/record.js';
import { DEFAULT_GOLDEN_DIR } from '../golden/store.js';
import { defaultRegistry } from '../kinds/default-registry.js';

// `pnpm golden:record [--check]`: re-record every golden file from the control path, or (--check) fail if
// recording would change anything. Golden files are never edited by hand.
const args = process.argv.slice(2).filter((a) => a !== '--');
const unknown = args.filter((a) => a !== '--check');
if (unknown.length > 0) {
  console.error(`unknown argument(s): ${unknown.join(' ')}\nusage: pnpm golden:record [--check]`);
  process.exit(2);
}
const check = args.includes('--check');
const started = performance.now();
const summary = await recordGoldens({ registry: defaultRegistry(), goldenDir: DEFAULT_GOLDEN_DIR, check });
console.log(formatSummary(summary, check));
console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`);
if (check && summaryHasChanges(summary)) {
  console.error('golden files are out of date: run `pnpm golden:record`, review the diff and commit the files');
  process.exit(1);
}
