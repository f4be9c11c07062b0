import { existsSync } from 'node:fs';
import type { StoredEvent } from '@perps-bot/core';
import { EXPERIMENT_EVENT } from '@perps-bot/orchestration';
import { resolveStoragePaths, SqliteEventStore } from '@perps-bot/stores';
import type { AppConfig } from './config/index.js';

interface ExperimentsCommandInput {
  readonly config: Pick<AppConfig, 'dataDir' | 'eventStoreRoot' | 'profile'>;
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream;
  readonly json?: boolean;
  /** Print this one record (an event id) as JSON instead: a file for `pnpm golden:import`. */
  readonly show?: number;
}

interface Percentiles {
  readonly p50: number | null;
  readonly p99: number | null;
}

/** The tally of one experiment over every record in the store. */
interface ExperimentSummary {
  readonly experiment: string;
  /** Distinct cycles with a record: compared or left to the control by the ramp-up. */
  readonly cycles: number;
  readonly skipped: number;
  readonly compared: number;
  readonly matches: number;
  readonly mismatches: number;
  readonly ignored: number;
  /** Comparisons each ignore rule explained (a comparison may name more than one rule). */
  readonly ignoredByRule: Readonly<Record<string, number>>;
  readonly candidateErrors: number;
  readonly durationsMs: { readonly control: Percentiles; readonly candidate: Percentiles };
  /** Event ids of the mismatches and candidate errors, oldest first: `pnpm golden:import <id>` takes one. */
  readonly mismatchEvents: readonly number[];
}

/**
 * `perps-bot experiments`: what the shadows found, from the data directory's event store only (the
 * `experiment_result` records): per experiment, cycles, comparisons, matches, mismatches, ignored per rule,
 * candidate errors and both sides' p50/p99 durations. Exit 1 when the directory has no event store.
 */
export function experimentsCommand(input: ExperimentsCommandInput): number {
  const paths = resolveStoragePaths({
    runtimeRoot: input.config.dataDir,
    eventStoreRoot: input.config.eventStoreRoot,
    profile: input.config.profile,
    cwd: input.cwd,
  });
  if (!existsSync(paths.eventsFile)) {
    input.stdout.write(
      `perps-bot experiments: no event store at ${paths.eventsFile} (has the bot run with this --data-dir and --profile?)\n`,
    );
    return 1;
  }
  const store = new SqliteEventStore({ file: paths.eventsFile, readonly: true });
  try {
    if (input.show !== undefined) {
      const event = store.get(input.show);
      if (!event || event.type !== EXPERIMENT_EVENT) {
        input.stdout.write(`perps-bot experiments: event ${input.show} is not an experiment record\n`);
        return 1;
      }
      input.stdout.write(`${JSON.stringify(event, null, 2)}\n`);
      return 0;
    }
    const summaries = summariseExperiments(store.ofType(EXPERIMENT_EVENT));
    input.stdout.write(
      input.json
        ? `${JSON.stringify({ eventStore: paths.eventsFile, experiments: summaries }, null, 2)}\n`
        : `${formatExperiments(summaries, paths.eventsFile)}\n`,
    );
    return 0;
  } finally {
    store.close();
  }
}

export function summariseExperiments(events: readonly StoredEvent[]): ExperimentSummary[] {
  const by = new Map<string, StoredEvent[]>();
  for (const event of events) {
    const name = String(event.payload.experiment);
    by.set(name, [...(by.get(name) ?? []), event]);
  }
  return [...by.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([experiment, list]) => {
      const count = (outcome: string) => list.filter((e) => e.payload.outcome === outcome).length;
      const ignoredByRule: Record<string, number> = {};
      for (const e of list)
        for (const rule of (e.payload.rules as string[] | undefined) ?? [])
          ignoredByRule[rule] = (ignoredByRule[rule] ?? 0) + 1;
      const compared = list.filter((e) => e.payload.outcome !== 'skipped');
      const side = (key: 'controlMs' | 'candidateMs') =>
        percentiles(
          compared
            .map((e) => (e.payload.durations as Record<string, number> | undefined)?.[key])
            .filter((v): v is number => typeof v === 'number'),
        );
      return {
        experiment,
        cycles: new Set(list.map((e) => e.payload.cycle)).size,
        skipped: count('skipped'),
        compared: compared.length,
        matches: count('match'),
        mismatches: count('mismatch'),
        ignored: count('ignored'),
        ignoredByRule,
        candidateErrors: count('candidate_error'),
        durationsMs: { control: side('controlMs'), candidate: side('candidateMs') },
        mismatchEvents: list
          .filter((e) => e.payload.outcome === 'mismatch' || e.payload.outcome === 'candidate_error')
          .flatMap((e) => (e.seq === undefined ? [] : [e.seq])),
      };
    });
}

/** Nearest-rank percentiles (null for no values). */
function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { p50: null, p99: null };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? null;
  return { p50: at(50), p99: at(99) };
}

function formatExperiments(summaries: readonly ExperimentSummary[], file: string): string {
  if (summaries.length === 0)
    return `no experiment records in ${file} (run with USE_NEW_MARKET_DATA_SERVICE=shadow or USE_NEW_EXECUTION_SERVICE=shadow)`;
  const ms = (p: Percentiles) => (p.p50 === null ? '–' : `${p.p50.toFixed(3)} / ${(p.p99 ?? p.p50).toFixed(3)}`);
  const header = [
    'experiment',
    'cycles',
    'compared',
    'matches',
    'mismatches',
    'ignored',
    'cand. errors',
    'control p50/p99 ms',
    'candidate p50/p99 ms',
  ];
  const rows = summaries.map((s) => [
    s.experiment,
    String(s.cycles),
    String(s.compared),
    String(s.matches),
    String(s.mismatches),
    String(s.ignored),
    String(s.candidateErrors),
    ms(s.durationsMs.control),
    ms(s.durationsMs.candidate),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [`experiments in ${file}`, line(header), ...rows.map(line)];
  for (const s of summaries) {
    for (const [rule, n] of Object.entries(s.ignoredByRule)) out.push(`${s.experiment}: ignored by rule ${rule}: ${n}`);
    if (s.skipped > 0) out.push(`${s.experiment}: ${s.skipped} left to the control by the ramp-up (…_SHADOW_PERCENT)`);
    if (s.mismatchEvents.length > 0)
      out.push(
        `${s.experiment}: mismatch events ${s.mismatchEvents.slice(-10).join(', ')}${s.mismatchEvents.length > 10 ? ' (latest 10)' : ''}; \`pnpm golden:import <id> --data-dir …\` makes one a regression test`,
      );
  }
  return out.join('\n');
}
