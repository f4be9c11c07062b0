import { describeError, hashString, type EventStore, type Logger } from '@perps-bot/core';

/** The event type of one comparison's record (durable: appended like a decision, never group-committed). */
export const EXPERIMENT_EVENT = 'experiment_result';

/**
 * How one comparison ended: `match`; `mismatch` (a difference no rule explains: both values kept, and the
 * scenario that reproduces it); `ignored` (every difference explained by a named rule); `candidate_error` (the
 * candidate threw); `skipped` (the ramp-up left this cycle to the control alone: nothing was compared).
 */
export type ExperimentOutcome = 'match' | 'mismatch' | 'ignored' | 'candidate_error' | 'skipped';

export interface ExperimentDifference {
  readonly symbol: string;
  readonly effect: string;
  readonly control: unknown;
  readonly candidate: unknown;
}

/** A JSON-able reproduction, in the shape of the characterization scenario kind it names (`pnpm golden:import`). */
export interface ExperimentReproduction {
  readonly kind: 'mark-update' | 'execution';
  readonly scenario: Record<string, unknown>;
}

export interface ExperimentRecord {
  readonly experiment: string;
  readonly cycle: number;
  readonly symbols: readonly string[];
  /** A stable hash of the settings that affect the experiment (never a secret): see configFingerprint. */
  readonly fingerprint: string;
  readonly outcome: ExperimentOutcome;
  /** Wall time of each side in ms (information only: never compared). Absent when skipped. */
  readonly durations?: { readonly controlMs: number; readonly candidateMs: number };
  /** The ignore rules that explained a difference (outcome `ignored`, or alongside a mismatch). */
  readonly rules?: readonly string[];
  readonly differences?: readonly ExperimentDifference[];
  /** The candidate's error, described (outcome `candidate_error`). */
  readonly error?: string;
  readonly reproduction?: ExperimentReproduction;
}

/** Where a shadow sends its records: the bot's event store in production, a list in tests. */
export type ExperimentSink = (record: ExperimentRecord) => void;

/**
 * A fingerprint of the settings an experiment depends on: FNV-1a over their canonical JSON (sorted keys), as
 * 8 hex digits. Keys that name a credential are refused rather than hashed, so no secret can shape it.
 */
export function configFingerprint(settings: Readonly<Record<string, unknown>>): string {
  for (const key of Object.keys(settings)) {
    if (SECRET_KEY.test(key)) throw new Error(`configFingerprint: "${key}" looks like a credential; leave it out`);
  }
  return hashString(canonical(settings)).toString(16).padStart(8, '0');
}

const SECRET_KEY = /secret|private|api.?key|passphrase|token|jwt|authorization|password/i;
const REDACTED = '[redacted]';

/**
 * The record as stored: durations rounded to µs, and any value under a key that names a credential replaced
 * (records carry broker answers and logs from production; a secret must never reach the event store).
 */
export function storedRecord(record: ExperimentRecord): Record<string, unknown> {
  const rounded = record.durations && {
    controlMs: Math.round(record.durations.controlMs * 1000) / 1000,
    candidateMs: Math.round(record.durations.candidateMs * 1000) / 1000,
  };
  return redact({ ...record, ...(rounded ? { durations: rounded } : {}) }) as Record<string, unknown>;
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redact(v)]),
  );
}

/**
 * A sink appending `experiment_result` events. A failed append is logged and never reaches the control: an
 * experiment must not change what the bot does.
 */
export function eventStoreSink(store: EventStore, botId: string, logger: Logger): ExperimentSink {
  return (record) => {
    try {
      store.appendEvent(EXPERIMENT_EVENT, botId, storedRecord(record));
    } catch (error) {
      logger.warn(`Could not store the ${record.experiment} experiment's record: ${describeError(error)}`, {
        experiment: record.experiment,
      });
    }
  };
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
