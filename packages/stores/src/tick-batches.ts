import type { StoredEvent } from '@perps-bot/core';

/** The metric event type of the stream's own tick ({event_type, symbol, mark} of strings). */
export const MARK_TICK = 'ws_mark_update';

/**
 * One committed batch of ticks in one row: consecutive seqs first_seq..last_seq, one bot, its ticks packed as
 * JSON. A row per tick cost SQLite more than decoding, validating and applying the frame it came from; a row
 * per batch costs it once per 256 ticks.
 */
export interface TickBatchRow {
  readonly first_seq: number;
  readonly last_seq: number;
  readonly bot_id: string;
  /** Time of the first and the last tick (ISO, as every event's `time`); ticks are appended in clock order. */
  readonly first_time: string;
  readonly last_time: string;
  /** JSON array, 3 values per tick in seq order: ms after first_time, then symbol and mark, or null and the payload. */
  readonly ticks: string;
}

export const TICK_BATCHES_SCHEMA = `
CREATE TABLE IF NOT EXISTS tick_batches (
  first_seq INTEGER PRIMARY KEY,
  last_seq INTEGER NOT NULL,
  bot_id TEXT NOT NULL,
  first_time TEXT NOT NULL,
  last_time TEXT NOT NULL,
  ticks TEXT NOT NULL
);
`;

/** The rows of the `ticks` table (one per tick, the layout before tick_batches) seen as one-tick batches. */
export const LEGACY_TICK_ROWS_AS_BATCHES = `(SELECT seq AS first_seq, seq AS last_seq, bot_id, time AS first_time,
  time AS last_time, CASE WHEN payload IS NULL THEN json_array(0, symbol, mark) ELSE json_array(0, NULL, json(payload)) END AS ticks
  FROM ticks)`;

const VALUES_PER_TICK = 3;

/** Ticks appended and not yet committed, packed as they come: no object per tick. */
export class PendingTicks {
  botId = '';
  count = 0;
  #firstMs = 0;
  #lastMs = 0;
  #values: unknown[] = [];

  /** False when the tick belongs to another bot than the pending ones: commit those first. */
  fits(botId: string): boolean {
    return this.count === 0 || botId === this.botId;
  }

  /** A usual tick (symbol and mark text), or any other payload whole (symbol null). */
  push(botId: string, ms: number, symbol: string | null, markOrPayload: unknown): void {
    if (this.count === 0) {
      this.botId = botId;
      this.#firstMs = ms;
    }
    this.#lastMs = ms;
    this.#values.push(ms - this.#firstMs, symbol, markOrPayload);
    this.count += 1;
  }

  /** The pending ticks as one batch row starting at `firstSeq`; the pending list is empty afterwards. */
  take(firstSeq: number): TickBatchRow {
    const row: TickBatchRow = {
      first_seq: firstSeq,
      last_seq: firstSeq + this.count - 1,
      bot_id: this.botId,
      first_time: new Date(this.#firstMs).toISOString(),
      last_time: new Date(this.#lastMs).toISOString(),
      ticks: JSON.stringify(this.#values),
    };
    this.#values = [];
    this.count = 0;
    return row;
  }
}

/** Ticks in a batch row. */
export const ticksIn = (row: Pick<TickBatchRow, 'first_seq' | 'last_seq'>): number => row.last_seq - row.first_seq + 1;

/** The ticks of a batch as events, oldest first; only those with seq > `afterSeq` when given. */
export function expandBatch(row: TickBatchRow, afterSeq = 0): StoredEvent[] {
  const values = JSON.parse(row.ticks) as unknown[];
  const firstMs = Date.parse(row.first_time);
  const events: StoredEvent[] = [];
  let lastOffset = Number.NaN;
  let time = row.first_time;
  for (let k = Math.max(0, afterSeq - row.first_seq + 1); k * VALUES_PER_TICK < values.length; k++) {
    const at = k * VALUES_PER_TICK;
    const offset = values[at] as number;
    if (offset !== lastOffset) {
      lastOffset = offset;
      time = new Date(firstMs + offset).toISOString();
    }
    const symbol = values[at + 1] as string | null;
    events.push({
      seq: row.first_seq + k,
      type: 'metric',
      botId: row.bot_id,
      time,
      payload:
        symbol === null
          ? (values[at + 2] as Record<string, unknown>)
          : { event_type: MARK_TICK, symbol, mark: values[at + 2] },
    });
  }
  return events;
}

/** The batch without its oldest `drop` ticks (0 < drop < its size): seqs and times of the rest unchanged. */
export function dropOldest(row: TickBatchRow, drop: number): TickBatchRow {
  const values = JSON.parse(row.ticks) as unknown[];
  const kept = values.slice(drop * VALUES_PER_TICK);
  const shift = kept[0] as number;
  for (let at = 0; at < kept.length; at += VALUES_PER_TICK) kept[at] = (kept[at] as number) - shift;
  return {
    ...row,
    first_seq: row.first_seq + drop,
    first_time: new Date(Date.parse(row.first_time) + shift).toISOString(),
    ticks: JSON.stringify(kept),
  };
}

/** How many of the batch's oldest ticks are older than `cutoffMs`. */
export function ticksBefore(row: TickBatchRow, cutoffMs: number): number {
  const values = JSON.parse(row.ticks) as unknown[];
  const firstMs = Date.parse(row.first_time);
  let k = 0;
  while (k * VALUES_PER_TICK < values.length && firstMs + (values[k * VALUES_PER_TICK] as number) < cutoffMs) k++;
  return k;
}
