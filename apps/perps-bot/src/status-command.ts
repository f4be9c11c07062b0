import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredEvent } from '@perps-bot/core';
import { resolveStoragePaths, SqliteEventStore, SqliteOrdersStore } from '@perps-bot/stores';
import type { AppConfig } from './config/index.js';
import { DRY_RUN_ORDERS_FILE, dryRunLedgerPath } from './dry-run/paper-ledger-file.js';
import { STATUS_FILE, type StatusDocument } from './observability/status-model.js';
import { processAlive } from './unclean-stop.js';

interface StatusCommandInput {
  readonly config: Pick<AppConfig, 'dataDir' | 'eventStoreRoot' | 'profile' | 'dryRun'>;
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream;
  readonly json?: boolean;
  readonly isAlive?: (pid: number) => boolean;
}

/** How the last run ended (or that it still runs), from health.json, the pid and the event store. */
interface StopVerdict {
  readonly state: 'running' | 'clean' | 'unclean' | 'unknown';
  readonly text: string;
}

/** Events scanned from the end of the store for the last startup/shutdown (tick rows make up most of a store). */
const EVENT_SCAN = 20_000;
const LIFECYCLE = new Set(['startup', 'shutdown', 'unclean_stop']);

/**
 * `perps-bot status`: what a running or stopped bot holds and did, read from its data directory only
 * (health.json, status.json, the event and orders stores, a dry run's ledger); it never talks to the bot or
 * the exchange. Exit 0 when there is a bot's data to show, 1 when the directory has none.
 */
export function statusCommand(input: StatusCommandInput): number {
  const paths = resolveStoragePaths({
    runtimeRoot: input.config.dataDir,
    eventStoreRoot: input.config.eventStoreRoot,
    profile: input.config.profile,
    cwd: input.cwd,
  });
  const health = readJson(paths.healthFile);
  if (!health) {
    input.stdout.write(
      `perps-bot status: no bot data in ${paths.storageDir} (no health.json; has the bot run with this --data-dir and --profile?)\n`,
    );
    return 1;
  }
  const doc = readJson(join(paths.storageDir, STATUS_FILE)) as StatusDocument | undefined;
  const events = readEvents(paths.eventsFile);
  const verdict = stopVerdict(health, events, input.isAlive ?? processAlive);
  const ordersFile =
    existsSync(join(paths.storageDir, DRY_RUN_ORDERS_FILE)) && health.dryRun === true
      ? join(paths.storageDir, DRY_RUN_ORDERS_FILE)
      : paths.ordersFile;
  const openOrders = readOpenOrders(ordersFile);
  if (input.json) {
    input.stdout.write(`${JSON.stringify({ health, lastStop: verdict, openOrders, status: doc ?? null }, null, 2)}\n`);
    return 0;
  }
  input.stdout.write(
    `${formatStatus(health, doc, verdict, openOrders, paths.storageDir, dryRunLedgerPath(paths.storageDir))}\n`,
  );
  return 0;
}

export function stopVerdict(
  health: Record<string, unknown>,
  events: readonly StoredEvent[],
  isAlive: (pid: number) => boolean,
): StopVerdict {
  const status = String(health.status);
  const pid = Number(health.pid);
  const lifecycle = events.filter((e) => LIFECYCLE.has(e.type));
  const lastStartup = lifecycle.findLast((e) => e.type === 'startup');
  const lastShutdown = lifecycle.findLast((e) => e.type === 'shutdown');
  if (status === 'starting' || status === 'running' || status === 'stopping') {
    if (isAlive(pid)) return { state: 'running', text: `running (pid ${pid}, ${status})` };
    return {
      state: 'unclean',
      text: `UNCLEAN: pid ${pid} is gone but health.json still says "${status}" (last update ${String(health.updatedAt)}); the next start records it`,
    };
  }
  if (lastShutdown && (!lastStartup || (lastShutdown.seq ?? 0) > (lastStartup.seq ?? 0))) {
    const reason = String(lastShutdown.payload.reason ?? '?');
    return { state: 'clean', text: `clean: ${status} at ${lastShutdown.time} (${reason})` };
  }
  if (status === 'stopped' || status === 'error')
    return { state: status === 'error' ? 'unclean' : 'clean', text: `${status} at ${String(health.updatedAt)}` };
  return { state: 'unknown', text: `health.json says "${status}"` };
}

function formatStatus(
  health: Record<string, unknown>,
  doc: StatusDocument | undefined,
  verdict: StopVerdict,
  openOrders: string[],
  storageDir: string,
  ledgerFile: string,
): string {
  const h = (doc?.health ?? health) as StatusDocument['health'];
  const now = Date.now();
  const lines = [
    `perps-bot ${h.profile} · ${h.dryRun ? 'dry run (paper)' : 'LIVE'} · broker ${h.broker} · market data ${h.marketDataMode} · data ${storageDir}`,
    `state: ${verdict.text}`,
    `last cycle: ${h.cycleCount} at ${h.lastCycleAt ?? '-'}${h.lastError ? ` · last error: ${h.lastError}` : ''} · orders ${h.orderStats.successful}/${h.orderStats.attempted} placed, ${h.orderStats.failed} failed`,
    'marks:',
  ];
  for (const [symbol, s] of Object.entries(h.symbols)) {
    // The age at the last write plus the time since then: a stopped bot's marks keep getting older.
    const sinceWrite = (now - new Date(h.updatedAt).getTime()) / 1000;
    const age = s.markAgeSeconds === null ? '-' : `${(s.markAgeSeconds + Math.max(0, sinceWrite)).toFixed(1)} s`;
    lines.push(`  ${symbol.padEnd(18)} ${String(s.mark ?? '-').padEnd(16)} age ${age}${s.stale ? ' (stale)' : ''}`);
  }
  if (doc) {
    lines.push(`positions: ${doc.positions.length === 0 ? 'none' : ''}`);
    for (const p of doc.positions)
      lines.push(
        `  ${p.symbol.padEnd(18)} ${p.side.padEnd(5)} ${p.quantity} @ ${p.entryPrice} · mark ${p.markPrice} · unrealized ${p.unrealizedPnl}`,
      );
    const a = doc.account;
    lines.push(
      `P&L today: ${a.dayPnl ?? '-'}${a.startOfDayEquity ? ` (from ${a.startOfDayEquity})` : ''} · cash ${a.cash ?? '-'} · equity ${a.equity ?? '-'}${a.feesToday !== null ? ` · fees today ${a.feesToday}, realized today ${a.realizedToday}` : ''}`,
    );
    const r = doc.risk;
    lines.push(
      `risk: kill switch ${r.killSwitch ? 'ON' : 'off'} · reduce-only ${r.reduceOnly ? `ON (${r.reduceOnlyReason ?? 'setting'})` : 'off'}${
        Object.keys(r.symbolReduceOnly).length
          ? ` · symbols reduce-only: ${Object.entries(r.symbolReduceOnly)
              .map(([s, why]) => `${s} (${why})`)
              .join(', ')}`
          : ''
      }`,
      `trading: ${r.blocks.length === 0 ? 'allowed' : `BLOCKED: ${r.blocks.map((b) => b.message).join('; ')}`}`,
      `flags: ${doc.flags.map((f) => `${f.name}=${f.value} → ${f.effective}`).join('; ')}`,
    );
    const recent = doc.orders.slice(0, 5);
    if (recent.length > 0) {
      lines.push('recent orders:');
      for (const o of recent)
        lines.push(
          `  ${o.at} ${o.symbol} ${o.outcome} ${o.side ?? ''} ${o.quantity ?? ''}${o.price ? ` @ ${o.price}` : ''} · ${o.detail}`,
        );
    }
  } else {
    lines.push('(no status.json: positions and P&L are written by perps-bot versions with the status model)');
  }
  lines.push(`open orders: ${openOrders.length === 0 ? 'none' : openOrders.join('; ')}`);
  const shadow = h.shadow;
  lines.push(
    shadow
      ? `shadow: cycles=${shadow.cycles} runs=${shadow.runs} matched=${shadow.matched} mismatched=${shadow.mismatched} ignored=${shadow.ignored} candidateErrors=${shadow.candidateErrors}${shadow.skippedCycles === undefined ? '' : ` skippedCycles=${shadow.skippedCycles}`}`
      : 'shadow: off',
  );
  // health.json of an older version has no executionShadow: nothing to say then.
  const execution = h.executionShadow;
  if (execution !== undefined)
    lines.push(
      execution
        ? `execution shadow: runs=${execution.runs} matched=${execution.matched} mismatched=${execution.mismatched} ignored=${execution.ignored} candidateErrors=${execution.candidateErrors} skipped=${execution.skipped} paperOrders=${execution.paperOrders}`
        : 'execution shadow: off',
    );
  if (h.dryRun && existsSync(ledgerFile)) lines.push(`paper ledger: ${ledgerFile}`);
  return lines.join('\n');
}

function readJson(path: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function readEvents(file: string): StoredEvent[] {
  if (!existsSync(file)) return [];
  const store = new SqliteEventStore({ file, readonly: true });
  try {
    return store.tail(EVENT_SCAN);
  } finally {
    store.close();
  }
}

function readOpenOrders(file: string): string[] {
  if (!existsSync(file)) return [];
  const store = new SqliteOrdersStore({ file, readonly: true });
  try {
    return store
      .list(1000)
      .filter((o) => o.status === 'PENDING' || o.status === 'SUBMITTED' || o.status === 'PARTIALLY_FILLED')
      .map((o) => `${o.id} ${o.side} ${o.quantity.toFixed()} ${o.symbol} ${o.status}`);
  } finally {
    store.close();
  }
}
