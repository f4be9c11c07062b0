import { ConfigError } from '@perps-bot/core';
import { z } from 'zod';

/**
 * The risk state that must survive a restart, JSON-safe (the equity is a decimal string). `daily` is the UTC
 * day's starting equity and whether its loss limit was breached; it is only restored on the same UTC day.
 */
export interface RiskStateSnapshot {
  readonly version: 1;
  readonly killSwitch: { readonly enabled: boolean; readonly reason: string | null };
  readonly reduceOnly: { readonly enabled: boolean; readonly reason: string | null };
  readonly symbolReduceOnly: Readonly<Record<string, string>>;
  readonly daily: { readonly day: string; readonly startOfDayEquity: string; readonly breached: boolean } | null;
}

/** Where the risk manager saves its state. `save` must be durable when it returns: the bot acts right after. */
export interface RiskStatePersistence {
  save(snapshot: RiskStateSnapshot): void;
}

/** The reason a setting (not an event) turned a mode on: the configuration decides it at each start, not the file. */
export const CONFIG_REASON = 'config';

const snapshotSchema = z.object({
  version: z.literal(1),
  killSwitch: z.object({ enabled: z.boolean(), reason: z.string().nullable() }),
  reduceOnly: z.object({ enabled: z.boolean(), reason: z.string().nullable() }),
  symbolReduceOnly: z.record(z.string(), z.string()),
  daily: z
    .object({
      day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
      startOfDayEquity: z.string().regex(/^-?\d+(\.\d+)?$/),
      breached: z.boolean(),
    })
    .nullable(),
});

/** A saved state, checked; a ConfigError naming what is wrong (a hand-edited or foreign file). */
export function parseRiskStateSnapshot(value: unknown): RiskStateSnapshot {
  const result = snapshotSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ConfigError(
      'riskState',
      `the saved risk state is not readable (${issue ? `${issue.path.join('.') || 'state'}: ${issue.message}` : 'invalid'})`,
    );
  }
  return result.data;
}

export const EMPTY_RISK_STATE: RiskStateSnapshot = {
  version: 1,
  killSwitch: { enabled: false, reason: null },
  reduceOnly: { enabled: false, reason: null },
  symbolReduceOnly: {},
  daily: null,
};

/**
 * What `perps-bot risk clear` does to a saved state: with a symbol, that symbol's reduce-only flag only; without,
 * the kill switch, reduce-only, every symbol flag and the day's breach. The day's starting equity stays, so the
 * loss is still measured from it: a loss still beyond the limit breaches again on the next cycle.
 */
export function clearRiskState(
  snapshot: RiskStateSnapshot,
  options: { symbol?: string | undefined } = {},
): RiskStateSnapshot {
  if (options.symbol !== undefined) {
    const { [options.symbol]: _cleared, ...rest } = snapshot.symbolReduceOnly;
    return { ...snapshot, symbolReduceOnly: rest };
  }
  return {
    ...EMPTY_RISK_STATE,
    daily: snapshot.daily ? { ...snapshot.daily, breached: false } : null,
  };
}
