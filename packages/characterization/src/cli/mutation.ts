import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  loadEquivalents,
  scoreMutation,
  formatTable,
  formatMarkdown,
  MUTATION_GOAL,
  type Baseline,
} from '../mutation/score.js';

// `pnpm mutation [--report]`: run Stryker on the candidates with the characterization suite alone (or, with
// --report, only summarise the last run's JSON report; --baseline stores it as the committed "before"), print the score per file with a verdict against the
// goal, and write the committed summary MUTATION.md. Not part of `pnpm test`: a full run takes minutes.
const pkg = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const root = join(pkg, '..', '..');
const reportPath = join(pkg, 'reports', 'mutation', 'mutation.json');
const argv = process.argv.slice(2).filter((a) => a !== '--');
// `--report --with <scoped.json>…`: the files of a later scoped run (MUTATE_ONLY) replace their entries in the
// last full report, so one changed file need not wait for a full re-run; MUTATION.md names them.
const withReports: string[] = [];
const args = argv.filter((a, i) => {
  if (argv[i - 1] === '--with') return (withReports.push(a), false);
  return a !== '--with';
});
const unknown = args.filter((a) => a !== '--report' && a !== '--baseline');
if (unknown.length > 0 || (withReports.length > 0 && !args.includes('--report'))) {
  process.stderr.write(
    `unknown argument(s): ${unknown.join(' ')}\nusage: pnpm mutation [--report [--with <scoped report.json>]…] [--baseline]\n`,
  );
  process.exit(2);
}
if (!args.includes('--report')) {
  const stryker = join(pkg, 'node_modules', '.bin', 'stryker');
  const run = spawnSync(stryker, ['run', relative(root, join(pkg, 'stryker.config.mjs'))], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    process.stderr.write(`stryker failed (exit ${run.status ?? run.signal})\n`);
    process.exit(run.status ?? 1);
  }
}
const report = JSON.parse(readFileSync(reportPath, 'utf8')) as Parameters<typeof scoreMutation>[0];
const replaced: string[] = [];
for (const path of withReports) {
  const scoped = JSON.parse(readFileSync(path, 'utf8')) as Parameters<typeof scoreMutation>[0];
  for (const [file, entry] of Object.entries(scoped.files)) {
    (report.files as Record<string, (typeof report.files)[string]>)[file] = entry;
    replaced.push(file);
  }
}
const equivalents = loadEquivalents(join(pkg, 'mutation-equivalents.json'));
// The candidate list lives in the Stryker config alone; a run that mutated fewer files is partial.
const config = (await import(pathToFileURL(join(pkg, 'stryker.config.mjs')).href)) as { CANDIDATES: readonly string[] };
const score = scoreMutation(report, equivalents, config.CANDIDATES.length);
process.stdout.write(`${formatTable(score)}\n`);
for (const problem of score.problems) process.stderr.write(`${problem}\n`);
const partial = score.files.length < score.expectedFiles;
const baselinePath = join(pkg, 'mutation-baseline.json');
const baseline = existsSync(baselinePath) ? (JSON.parse(readFileSync(baselinePath, 'utf8')) as Baseline) : undefined;
if (args.includes('--baseline'))
  writeFileSync(
    baselinePath,
    `${JSON.stringify({ about: process.env.MUTATION_BASELINE_ABOUT ?? 'an earlier run', files: score.files, total: score.total }, null, 2)}\n`,
  );
else if (!partial) writeFileSync(join(pkg, 'MUTATION.md'), formatMarkdown(score, baseline, replaced));
else process.stdout.write('(a partial run: MUTATION.md left as it is)\n');
process.stdout.write(
  `verdict: ${score.total.score >= MUTATION_GOAL ? 'PASS' : 'FAIL'} — ${score.total.score.toFixed(1)} % killed leaving out ${score.total.equivalent} equivalents (goal ≥ ${MUTATION_GOAL} %)\n`,
);
if (score.problems.length > 0 || score.total.score < MUTATION_GOAL) process.exitCode = 1;
