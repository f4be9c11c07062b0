import {
  PerpsBotError,
  ErrorCodes,
  type Decimal,
  type Position,
  type PreTradeRequest,
  type PreTradeRisk,
  type RiskDecision,
} from '@perps-bot/core';
import type { CycleRisk } from '@perps-bot/orchestration';
import type { ExecutionScenario } from './scenario.js';

type Rule = ExecutionScenario['preTrade'][number];

/** The pre-trade check: the first matching rule rejects, otherwise allowed. Calls are counted from 0. */
export class ScriptedPreTradeRisk implements PreTradeRisk {
  #calls = 0;
  constructor(readonly rules: readonly Rule[]) {}

  preTradeCheck(request: PreTradeRequest): RiskDecision {
    const call = this.#calls++;
    const rule = this.rules.find(
      (r) =>
        (r.symbol === undefined || r.symbol === request.symbol) &&
        (r.side === undefined || r.side === request.side) &&
        (r.reduceOnly === undefined || r.reduceOnly === Boolean(request.reduceOnly)) &&
        (r.onCalls === undefined || r.onCalls.includes(call)) &&
        (r.contractSize === undefined || request.contractSizes?.[request.symbol]?.equals(r.contractSize) === true),
    );
    return rule ? { allowed: false, code: rule.code, reason: rule.reason } : { allowed: true };
  }
}

/** The cycle's runtime gates as the scenario scripts them; reduce-only state behaves as LiveRiskManager's. */
export class ScriptedCycleRisk implements CycleRisk {
  readonly killSwitchEnabled: boolean;
  reduceOnlyMode: boolean;
  reduceOnlyReason: string | null = null;
  readonly #s: ExecutionScenario['cycleRisk'];
  readonly #reduceOnlySymbols: Set<string>;

  constructor(script: ExecutionScenario['cycleRisk']) {
    this.#s = script;
    this.killSwitchEnabled = script.killSwitch ?? false;
    this.reduceOnlyMode = script.reduceOnlyMode ?? false;
    if (this.reduceOnlyMode) this.reduceOnlyReason = 'scripted';
    this.#reduceOnlySymbols = new Set(script.reduceOnlySymbols ?? []);
  }

  checkMarkStaleness(symbol: string): boolean {
    return (this.#s.staleSymbols ?? []).includes(symbol);
  }

  checkVolatilityCircuitBreaker(symbol: string): ReturnType<CycleRisk['checkVolatilityCircuitBreaker']> {
    const kill = (this.#s.volatilityKillSymbols ?? []).includes(symbol);
    return { action: kill ? 'kill_switch' : 'none', triggered: kill, volatility: undefined, coolingDown: false };
  }

  trackDailyPnl(_equity: Decimal): ReturnType<CycleRisk['trackDailyPnl']> {
    return undefined as unknown as ReturnType<CycleRisk['trackDailyPnl']>;
  }

  checkLiquidationBuffers(_positions: readonly Position[]): string[] {
    const flagged = this.#s.liquidationSymbols ?? [];
    for (const symbol of flagged) this.#reduceOnlySymbols.add(symbol);
    return [...flagged];
  }

  setReduceOnlyMode(enabled: boolean, reason: string): boolean {
    const changed = this.reduceOnlyMode !== enabled;
    this.reduceOnlyMode = enabled;
    this.reduceOnlyReason = enabled ? reason : null;
    return changed;
  }

  isSymbolReduceOnly(symbol: string): boolean {
    return this.#reduceOnlySymbols.has(symbol);
  }
}

/** Thrown by a scripted store method: what a full disk or a read-only database does. */
export const storeFailure = (method: string): PerpsBotError =>
  new PerpsBotError(ErrorCodes.STORE, `scripted ${method} failure`);
