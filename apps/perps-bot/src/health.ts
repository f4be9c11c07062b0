import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StreamFrameStats } from '@perps-bot/broker-adapters';
import { decimalToString } from '@perps-bot/core';
import type { PerpsBot } from '@perps-bot/orchestration';

export type HealthStatus = 'starting' | 'running' | 'stopping' | 'stopped' | 'error';

export interface SymbolHealth {
  readonly mark: string | null;
  /** Seconds since the last mark, or null when the symbol never had one. */
  readonly markAgeSeconds: number | null;
  readonly stale: boolean;
}

export interface HealthSnapshot {
  readonly status: HealthStatus;
  readonly pid: number;
  readonly profile: string;
  readonly broker: string;
  readonly dryRun: boolean;
  readonly marketDataMode: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  readonly cycleCount: number;
  readonly lastCycleAt: string | null;
  readonly symbols: Record<string, SymbolHealth>;
  readonly orderStats: { attempted: number; successful: number; failed: number; unknown: number };
  /**
   * What the stream source refused (Coinbase's WebSocket): items for products it did not subscribe to, and
   * books without a sane mid. Null without a stream source that counts.
   */
  readonly stream: StreamFrameStats | null;
  /** Shadow mode's counts (USE_NEW_MARKET_DATA_SERVICE=shadow), else null. */
  readonly shadow: ShadowCounts | null;
  /** USE_NEW_EXECUTION_SERVICE=shadow: the intended-order comparisons (its orders went to a paper twin). */
  readonly executionShadow: ExecutionShadowCounts | null;
  readonly lastError: string | null;
}

export interface ShadowCounts {
  readonly cycles: number;
  readonly runs: number;
  readonly matched: number;
  readonly mismatched: number;
  readonly ignored: number;
  readonly candidateErrors: number;
  /** Cycles the ramp-up (USE_NEW_MARKET_DATA_SERVICE_SHADOW_PERCENT) left to the control alone. */
  readonly skippedCycles: number;
}

export interface ExecutionShadowCounts {
  readonly runs: number;
  readonly matched: number;
  readonly mismatched: number;
  readonly ignored: number;
  readonly candidateErrors: number;
  /** Executions the ramp-up (USE_NEW_EXECUTION_SERVICE_SHADOW_PERCENT) left to the control alone. */
  readonly skipped: number;
  /** Orders the candidate sent to its paper twin (never to the exchange). */
  readonly paperOrders: number;
}

/**
 * Writes health.json beside the stores, atomically: the snapshot goes to a temporary file in the same
 * directory, then replaces the old file with one rename, so a reader (a supervisor, `cat`) never sees half a
 * file, even if the bot is killed mid-write.
 */
export function writeHealthFile(path: string, snapshot: HealthSnapshot): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(snapshot, null, 2)}\n`);
  renameSync(temporary, path);
}

export interface HealthState {
  status: HealthStatus;
  cycleCount: number;
  lastCycleAt: Date | null;
  lastError: string | null;
}

/** The bot's health as of now: marks and their age per symbol, order stats, the market-data mode. */
interface HealthMeta {
  readonly broker: string;
  /** A dry run (on the paper ledger when it has one). */
  readonly dryRun?: boolean;
  /** The stream source's refusal counts (CoinbaseMarketDataStream.stats), when there is one. */
  readonly streamStats?: () => StreamFrameStats;
}

export function healthSnapshot(bot: PerpsBot, state: HealthState, meta: HealthMeta): HealthSnapshot {
  const symbols: Record<string, SymbolHealth> = {};
  for (const symbol of bot.symbols) {
    const latest = bot.markWindows.latest(symbol);
    const ageMs = bot.riskManager.markAgeMs(symbol);
    symbols[symbol] = {
      mark: latest ? decimalToString(latest) : null,
      markAgeSeconds: ageMs === undefined ? null : Math.round(ageMs) / 1000,
      stale: bot.riskManager.isMarkStale(symbol),
    };
  }
  return {
    status: state.status,
    pid: process.pid,
    profile: bot.config.profile,
    broker: meta.broker,
    // A dry run on paper runs the cycle as live against the paper broker: the app's setting says what it is.
    dryRun: meta.dryRun ?? bot.config.dryRun,
    marketDataMode: bot.marketDataMode,
    startedAt: bot.startTime.toISOString(),
    updatedAt: bot.clock.now().toISOString(),
    cycleCount: state.cycleCount,
    lastCycleAt: state.lastCycleAt?.toISOString() ?? null,
    symbols,
    orderStats: { ...bot.orderStats },
    stream: meta.streamStats ? meta.streamStats() : null,
    shadow: shadowCounts(bot),
    executionShadow: executionShadowCounts(bot),
    lastError: state.lastError,
  };
}

function shadowCounts(bot: PerpsBot): ShadowCounts | null {
  const report = bot.shadowReport();
  if (!report) return null;
  const { cycles, runs, matched, mismatched, ignored, candidateErrors, skippedCycles } = report;
  return { cycles, runs, matched, mismatched, ignored, candidateErrors, skippedCycles };
}

function executionShadowCounts(bot: PerpsBot): ExecutionShadowCounts | null {
  const report = bot.executionShadowReport();
  if (!report) return null;
  const { runs, matched, mismatched, ignored, candidateErrors, skipped, paperOrders } = report;
  return { runs, matched, mismatched, ignored, candidateErrors, skipped, paperOrders };
}
