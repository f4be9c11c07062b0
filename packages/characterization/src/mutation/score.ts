import { readFileSync } from 'node:fs';

/** The goal of issue #14: the characterization suite kills at least this share of the non-equivalent mutants. */
export const MUTATION_GOAL = 95;

/** The parts of Stryker's JSON report (mutation-testing-report-schema) that the score reads. */
interface MutationReport {
  readonly files: Readonly<Record<string, { readonly source: string; readonly mutants: readonly ReportMutant[] }>>;
}
interface ReportMutant {
  readonly id: string;
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: string;
  readonly location: { readonly start: Position; readonly end: Position };
}
interface Position {
  readonly line: number;
  readonly column: number;
}

/**
 * A mutant that no test can kill because it does not change behaviour, with the reason. Matched by file,
 * line, mutator, the mutated source text and its replacement (the same text can be mutated on several lines);
 * an edit that moves it makes the entry stale, which the score reports.
 */
interface Equivalent {
  readonly file: string;
  readonly line: number;
  readonly mutator: string;
  readonly original: string;
  readonly replacement: string;
  readonly reason: string;
}

export interface FileScore {
  readonly file: string;
  readonly mutants: number;
  readonly killed: number;
  readonly survived: number;
  readonly noCoverage: number;
  readonly equivalent: number;
  readonly invalid: number;
  /** killed / (mutants − invalid), in %. */
  readonly rawScore: number;
  /** killed / (mutants − invalid − equivalent), in %: the goal's measure. */
  readonly score: number;
}

interface MutationScore {
  readonly files: readonly FileScore[];
  readonly total: FileScore;
  readonly expectedFiles: number;
  /** Survivors not listed as equivalent, as `file:line mutator: original → replacement`. */
  readonly survivors: readonly string[];
  /** An equivalent that matches no mutant, or one a test killed (so it was not equivalent). */
  readonly problems: readonly string[];
}

export function loadEquivalents(path: string): Equivalent[] {
  const list = JSON.parse(readFileSync(path, 'utf8')) as Equivalent[];
  for (const e of list) {
    if (!e.file || !e.line || !e.mutator || e.original === undefined || e.replacement === undefined || !e.reason) {
      throw new Error(
        `mutation-equivalents.json: an entry needs file, line, mutator, original, replacement and reason: ${JSON.stringify(e)}`,
      );
    }
  }
  return list;
}

const KILLED = new Set(['Killed', 'Timeout']);
const INVALID = new Set(['CompileError', 'RuntimeError', 'Ignored']);

/** The mutated source text of one mutant (the report's lines and columns are 1-based). */
function originalText(source: string, mutant: Pick<ReportMutant, 'location'>): string {
  const lines = source.split('\n');
  const { start, end } = mutant.location;
  if (start.line === end.line) return (lines[start.line - 1] ?? '').slice(start.column - 1, end.column - 1);
  const first = (lines[start.line - 1] ?? '').slice(start.column - 1);
  const middle = lines.slice(start.line, end.line - 1);
  const last = (lines[end.line - 1] ?? '').slice(0, end.column - 1);
  return [first, ...middle, last].join('\n');
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

export function scoreMutation(
  report: MutationReport,
  equivalents: readonly Equivalent[],
  /** How many candidate files a full run mutates (stryker.config.mjs CANDIDATES): fewer makes a partial run. */
  expectedFiles: number,
): MutationScore {
  const used = new Set<Equivalent>();
  const problems: string[] = [];
  const survivors: string[] = [];
  const files: FileScore[] = [];
  for (const [file, { source, mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    let killed = 0;
    let survived = 0;
    let noCoverage = 0;
    let equivalent = 0;
    let invalid = 0;
    for (const mutant of mutants) {
      const original = oneLine(originalText(source, mutant));
      const replacement = oneLine(mutant.replacement ?? '');
      const matches = (e: Equivalent): boolean =>
        e.file === file &&
        e.line === mutant.location.start.line &&
        e.mutator === mutant.mutatorName &&
        oneLine(e.original) === original &&
        oneLine(e.replacement) === replacement;
      // The same text can be mutated twice on one line ('string' twice): each mutant takes an entry of its own.
      const match = equivalents.find((e) => !used.has(e) && matches(e)) ?? equivalents.find(matches);
      const where = `${file}:${mutant.location.start.line} ${mutant.mutatorName}: ${original} → ${replacement}`;
      if (match) used.add(match);
      if (INVALID.has(mutant.status)) invalid++;
      else if (KILLED.has(mutant.status)) {
        killed++;
        if (match)
          problems.push(`listed as equivalent but killed (remove it from mutation-equivalents.json): ${where}`);
      } else if (match) equivalent++;
      else {
        if (mutant.status === 'NoCoverage') noCoverage++;
        else survived++;
        survivors.push(where);
      }
    }
    files.push(fileScore(file, mutants.length, killed, survived, noCoverage, equivalent, invalid));
  }
  for (const e of equivalents) {
    if (!used.has(e) && report.files[e.file])
      problems.push(
        `equivalent matches no mutant (stale entry?): ${e.file}:${e.line} ${e.mutator}: ${e.original} → ${e.replacement}`,
      );
  }
  const sum = (key: 'mutants' | 'killed' | 'survived' | 'noCoverage' | 'equivalent' | 'invalid'): number =>
    files.reduce((n, f) => n + f[key], 0);
  const total = fileScore(
    'All files',
    sum('mutants'),
    sum('killed'),
    sum('survived'),
    sum('noCoverage'),
    sum('equivalent'),
    sum('invalid'),
  );
  return { files, total, expectedFiles, survivors, problems };
}

function fileScore(
  file: string,
  mutants: number,
  killed: number,
  survived: number,
  noCoverage: number,
  equivalent: number,
  invalid: number,
): FileScore {
  const valid = mutants - invalid;
  const pct = (n: number, d: number): number => (d === 0 ? 100 : (100 * n) / d);
  return {
    file,
    mutants,
    killed,
    survived,
    noCoverage,
    equivalent,
    invalid,
    rawScore: pct(killed, valid),
    score: pct(killed, valid - equivalent),
  };
}

const HEADERS = [
  'file',
  'mutants',
  'killed',
  'survived',
  'no cover',
  'equivalent',
  'invalid',
  'killed %',
  'w/o equiv. %',
];
const cells = (f: FileScore): string[] => [
  f.file.replace(/^packages\/market-data\/src\//, '').replace(/^packages\/orchestration\/src\//, 'orchestration/'),
  String(f.mutants),
  String(f.killed),
  String(f.survived),
  String(f.noCoverage),
  String(f.equivalent),
  String(f.invalid),
  f.rawScore.toFixed(1),
  f.score.toFixed(1),
];

/** A plain-text table for the terminal. */
export function formatTable(score: MutationScore): string {
  const rows = [HEADERS, ...score.files.map(cells), cells(score.total)];
  const widths = HEADERS.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  '))
    .join('\n');
}

/** The committed summary (MUTATION.md): the table, the verdict, and every surviving mutant. */
export function formatMarkdown(score: MutationScore, baseline?: Baseline, rerun: readonly string[] = []): string {
  const row = (c: string[]): string => `| ${c.join(' | ')} |`;
  const verdict = score.total.score >= MUTATION_GOAL ? 'PASS' : 'FAIL';
  return [
    '# Mutation score of the characterization suite',
    '',
    'Written by `pnpm mutation` (Stryker on the candidates, killed by `packages/characterization` alone); do not edit by hand.',
    'Equivalent mutants, each with its reason: `mutation-equivalents.json`.',
    ...(rerun.length > 0
      ? [
          `Re-run on their own after the full run (\`--with\`), their rows replace the full run's: ${rerun.map((f) => `\`${f}\``).join(', ')}.`,
        ]
      : []),
    '',
    row(HEADERS),
    row(HEADERS.map((_, i) => (i === 0 ? '---' : '---:'))),
    ...score.files.map((f) => row(cells(f))),
    row(cells(score.total).map((c) => `**${c}**`)),
    '',
    `Verdict: **${verdict}** — ${score.total.score.toFixed(1)} % killed leaving out ${score.total.equivalent} equivalents (goal ≥ ${MUTATION_GOAL} %).`,
    '',
    ...(baseline
      ? [
          `## Before: ${baseline.about}`,
          '',
          row(HEADERS),
          row(HEADERS.map((_, i) => (i === 0 ? '---' : '---:'))),
          ...baseline.files.map((f) => row(cells(f))),
          row(cells(baseline.total)),
          '',
        ]
      : []),
    `## Surviving mutants (${score.survivors.length})`,
    '',
    ...(score.survivors.length === 0 ? ['None.'] : score.survivors.map((s) => `- \`${s.replace(/`/g, "'")}\``)),
    '',
  ].join('\n');
}

/** A committed earlier score (mutation-baseline.json), shown beside the current one. */
export interface Baseline {
  readonly about: string;
  readonly files: readonly FileScore[];
  readonly total: FileScore;
}
