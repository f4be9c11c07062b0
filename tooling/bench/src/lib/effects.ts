import type { MemoryLogger, MarkUpdateSink } from '@perps-bot/core';
import type { MarkWindows } from '@perps-bot/market-data';

/** Everything an update_marks pass may change, as plain comparable text (decimals as strings). */
export interface MarkEffects {
  readonly windows: Readonly<Record<string, readonly string[]>>;
  readonly risk: Readonly<Record<string, string>>;
  readonly logs: readonly string[];
}

export class RecordingRisk implements MarkUpdateSink {
  readonly lastMarkUpdate = new Map<string, Date>();
  recordMarkUpdate(symbol: string, at: Date): void {
    this.lastMarkUpdate.set(symbol, at);
  }
}

export function captureEffects(windows: MarkWindows, risk: RecordingRisk, logger: MemoryLogger): MarkEffects {
  const snapshot = windows.snapshot();
  return {
    windows: Object.fromEntries(
      Object.entries(snapshot).map(([symbol, marks]) => [symbol, marks.map((m) => m.toFixed())]),
    ),
    risk: Object.fromEntries([...risk.lastMarkUpdate].map(([symbol, at]) => [symbol, at.toISOString()])),
    logs: logger.records.map((r) => `${r.level}: ${r.message}`),
  };
}

/** Human-readable differences between two runs' effects; empty when they are identical. At most `limit`. */
export function diffEffects(control: MarkEffects, candidate: MarkEffects, limit = 10): string[] {
  const out: string[] = [];
  const keys = (a: object, b: object) => [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  for (const symbol of keys(control.windows, candidate.windows)) {
    const a = JSON.stringify(control.windows[symbol]);
    const b = JSON.stringify(candidate.windows[symbol]);
    if (a !== b) out.push(`window ${symbol}: ${a} ≠ ${b}`);
  }
  for (const symbol of keys(control.risk, candidate.risk)) {
    if (control.risk[symbol] !== candidate.risk[symbol])
      out.push(`risk ${symbol}: ${control.risk[symbol]} ≠ ${candidate.risk[symbol]}`);
  }
  const n = Math.max(control.logs.length, candidate.logs.length);
  for (let i = 0; i < n; i++) {
    if (control.logs[i] !== candidate.logs[i])
      out.push(`log #${i + 1}: ${control.logs[i] ?? '(none)'} ≠ ${candidate.logs[i] ?? '(none)'}`);
  }
  return out.slice(0, limit);
}

export function countEffects(effects: MarkEffects): { marks: number; risk: number; logs: number } {
  return {
    marks: Object.values(effects.windows).reduce((sum, w) => sum + w.length, 0),
    risk: Object.keys(effects.risk).length,
    logs: effects.logs.length,
  };
}
