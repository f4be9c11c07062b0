import type { Clock } from '@perps-bot/core';
import { LiveRiskManager } from '@perps-bot/risk';
import type { RiskScript } from './scenario.js';

/** The real LiveRiskManager, except that recordMarkUpdate throws where the scenario says (before storing). */
export class ScriptedRiskManager extends LiveRiskManager {
  readonly #script: RiskScript | undefined;
  #calls = 0;

  constructor(clock: Clock, script: RiskScript | undefined) {
    super({ clock });
    this.#script = script;
  }

  override recordMarkUpdate(symbol: string, at: Date): void {
    const call = this.#calls++;
    const s = this.#script;
    if (s && (s.always || s.throwOnCalls?.includes(call) || s.throwForSymbols?.includes(symbol))) throw new Error(s.message);
    super.recordMarkUpdate(symbol, at);
  }
}
