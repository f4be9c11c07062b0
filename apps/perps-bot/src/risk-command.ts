import { existsSync, readFileSync } from 'node:fs';
import { ConfigError, systemClock, type Clock } from '@perps-bot/core';
import { BOT_ID } from '@perps-bot/orchestration';
import { clearRiskState, EMPTY_RISK_STATE, parseRiskStateSnapshot, type RiskStateSnapshot } from '@perps-bot/risk';
import { resolveStoragePaths, SqliteEventStore, SqliteRiskStateStore, type StoragePaths } from '@perps-bot/stores';
import type { AppConfig } from './config/index.js';

interface RiskCommandInput {
  readonly config: Pick<AppConfig, 'dataDir' | 'eventStoreRoot' | 'profile'>;
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream;
  readonly clock?: Clock;
}

/** `perps-bot risk show`: the risk state a restart of this profile would restore. */
export function riskShow(input: RiskCommandInput & { readonly json?: boolean }): number {
  const paths = pathsOf(input);
  const saved = readSaved(paths.riskFile);
  if (input.json) {
    input.stdout.write(
      `${JSON.stringify({ file: paths.riskFile, updatedAt: saved?.updatedAt ?? null, state: saved && !saved.unreadable ? saved.state : null, unreadable: saved?.unreadable ?? null }, null, 2)}\n`,
    );
    return 0;
  }
  if (!saved) input.stdout.write(`no risk state saved in ${paths.riskFile}\n`);
  else if (saved.unreadable)
    input.stdout.write(
      `risk state in ${paths.riskFile} (saved ${saved.updatedAt}) is unreadable: ${saved.unreadable}; "perps-bot risk clear" replaces it\n`,
    );
  else input.stdout.write(`${describeRiskState(paths.riskFile, saved.state, saved.updatedAt)}\n`);
  return 0;
}

/**
 * `perps-bot risk clear [--symbol X]`: lifts what the last run saved (see clearRiskState), records event
 * "risk_state_cleared" with both states, and prints the result. Refused while the bot runs: it holds the state
 * in memory and would write its own back on the next change.
 */
export function riskClear(input: RiskCommandInput & { readonly symbol?: string | undefined }): number {
  const paths = pathsOf(input);
  refuseWhileRunning(paths);
  const saved = readSaved(paths.riskFile);
  const before = saved?.state ?? EMPTY_RISK_STATE;
  if (input.symbol !== undefined && before.symbolReduceOnly[input.symbol] === undefined) {
    const flagged = Object.keys(before.symbolReduceOnly);
    throw new ConfigError(
      'symbol',
      `${input.symbol} has no reduce-only flag in ${paths.riskFile} (flagged: ${flagged.length > 0 ? flagged.join(', ') : 'none'})`,
    );
  }
  const after = clearRiskState(before, { symbol: input.symbol });
  const clock = input.clock ?? systemClock;
  const store = new SqliteRiskStateStore({ file: paths.riskFile });
  try {
    store.save({ ...after }, clock.now());
  } finally {
    store.close();
  }
  const events = new SqliteEventStore({ file: paths.eventsFile, clock });
  try {
    events.appendEvent('risk_state_cleared', BOT_ID, {
      symbol: input.symbol ?? null,
      before,
      after,
      by: 'perps-bot risk clear',
    });
  } finally {
    events.close();
  }
  input.stdout.write(
    `cleared ${input.symbol === undefined ? 'the risk state' : `reduce-only for ${input.symbol}`}\n${describeRiskState(paths.riskFile, after, clock.now().toISOString())}\n`,
  );
  return 0;
}

function describeRiskState(file: string, state: RiskStateSnapshot, updatedAt: string): string {
  const mode = (m: { enabled: boolean; reason: string | null }) =>
    m.enabled ? `on (${m.reason ?? 'unspecified'})` : 'off';
  const symbols = Object.entries(state.symbolReduceOnly);
  const daily = state.daily
    ? `${state.daily.day}, from equity ${state.daily.startOfDayEquity}${state.daily.breached ? ', limit breached' : ''}`
    : 'none';
  return [
    `risk state in ${file} (saved ${updatedAt})`,
    `  kill switch:         ${mode(state.killSwitch)}`,
    `  reduce-only:         ${mode(state.reduceOnly)}`,
    `  reduce-only symbols: ${symbols.length > 0 ? symbols.map(([s, r]) => `${s} (${r})`).join(', ') : 'none'}`,
    `  daily loss:          ${daily}`,
  ].join('\n');
}

function pathsOf(input: RiskCommandInput): StoragePaths {
  const { config } = input;
  return resolveStoragePaths({
    runtimeRoot: config.dataDir,
    eventStoreRoot: config.eventStoreRoot,
    profile: config.profile,
    cwd: input.cwd,
  });
}

interface Saved {
  readonly state: RiskStateSnapshot;
  readonly updatedAt: string;
  /** Why the saved state could not be read (then `state` is the empty one). */
  readonly unreadable?: string;
}

function readSaved(file: string): Saved | undefined {
  if (!existsSync(file)) return undefined;
  const store = new SqliteRiskStateStore({ file, readonly: true });
  try {
    const saved = store.load();
    if (!saved) return undefined;
    try {
      return { state: parseRiskStateSnapshot(saved.state), updatedAt: saved.updatedAt };
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      // An unreadable state can still be cleared: clearing replaces it whole.
      return { state: EMPTY_RISK_STATE, updatedAt: saved.updatedAt, unreadable: error.message };
    }
  } finally {
    store.close();
  }
}

function refuseWhileRunning(paths: StoragePaths): void {
  let health: { status?: unknown; pid?: unknown };
  try {
    health = JSON.parse(readFileSync(paths.healthFile, 'utf8')) as typeof health;
  } catch {
    return; // never ran, or no health file: nothing running here
  }
  if (
    (health.status !== 'running' && health.status !== 'starting' && health.status !== 'error') ||
    typeof health.pid !== 'number'
  )
    return;
  if (health.pid === process.pid || !isAlive(health.pid)) return;
  throw new ConfigError(
    'risk',
    `the bot is running on this profile (pid ${health.pid}, ${paths.healthFile}); stop it first: a running bot holds its risk state in memory and would write it back`,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
