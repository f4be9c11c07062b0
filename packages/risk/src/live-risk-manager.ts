import {
  Decimal as DecimalValue,
  describeError,
  silentLogger,
  ZERO,
  type Clock,
  type Decimal,
  type Logger,
  type MarkUpdateSink,
  type Position,
  type PreTradeRequest,
  type PreTradeRisk,
  type RiskDecision,
} from '@perps-bot/core';
import { DailyLossTracker, type DailyPnlStatus } from './daily-loss.js';
import { leverageCaps } from './leverage-caps.js';
import { bufferBelowMinimum, bufferPct } from './liquidation.js';
import { positionNotional, signedQuantity, type ContractSizes } from './positions.js';
import { DAILY_LOSS_REASON, evaluatePreTrade } from './pre-trade.js';
import { parseRiskConfig, type RiskConfig, type RiskConfigInput } from './risk-config.js';
import { RiskEventRecorder, type RiskEventSink } from './risk-events.js';
import { CONFIG_REASON, type RiskStatePersistence, type RiskStateSnapshot } from './risk-state.js';
import { evaluateSlippage, type SlippageInput } from './slippage.js';
import { VolatilityBreaker, type VolatilityOutcome } from './volatility.js';

export interface LiveRiskManagerOptions {
  readonly clock: Clock;
  /** Any subset of the settings (validated; the rest take the reference's defaults). */
  readonly config?: RiskConfigInput;
  readonly logger?: Logger;
  /** Where risk events go (metrics under bot id "risk_engine"); none recorded when absent. */
  readonly eventStore?: RiskEventSink;
  /**
   * Where the state that must survive a restart is saved (risk.sqlite in the app), on every change and before
   * the change is acted on or announced. A failed save is logged and never undoes the change: the store's own
   * failure is what stops trading (the app's storage monitor), and the stricter state holds in memory.
   */
  readonly persistence?: RiskStatePersistence;
}

/** What `restore` kept and what it let go. */
export interface RiskRestoreOutcome {
  readonly restored: readonly string[];
  readonly dropped: readonly string[];
}

const VOLATILITY_REASON = 'volatility_circuit_breaker';
const pctText = (value: Decimal): string => `${value.times(100).toDecimalPlaces(2).toFixed()}%`;

/**
 * The live risk manager: pre-trade validation, runtime checks that switch to reduce-only or halt and say why, and
 * the mark bookkeeping the staleness checks read. There is exactly one map of last mark times — the one the mark
 * paths write through recordMarkUpdate and every check here reads (the reference handed its validators copies, so
 * staleness never fired).
 */
export class LiveRiskManager implements MarkUpdateSink, PreTradeRisk {
  readonly #lastMarkUpdate = new Map<string, Date>();
  readonly #clock: Clock;
  readonly #config: RiskConfig;
  readonly #logger: Logger;
  readonly #events: RiskEventRecorder;
  readonly #daily = new DailyLossTracker();
  readonly #symbolReduceOnly = new Map<string, string>();
  readonly #breaker: VolatilityBreaker;
  readonly #persistence: RiskStatePersistence | undefined;
  #killSwitch: boolean;
  #killSwitchReason: string | null;
  #reduceOnly: boolean;
  #reduceOnlyReason: string | null;

  constructor(options: LiveRiskManagerOptions) {
    this.#clock = options.clock;
    this.#config = parseRiskConfig(options.config ?? {});
    this.#logger = options.logger ?? silentLogger;
    this.#events = new RiskEventRecorder({ clock: options.clock, logger: this.#logger, sink: options.eventStore });
    this.#breaker = new VolatilityBreaker(this.#config);
    this.#persistence = options.persistence;
    this.#killSwitch = this.#config.killSwitchEnabled;
    this.#killSwitchReason = this.#killSwitch ? CONFIG_REASON : null;
    this.#reduceOnly = this.#config.reduceOnlyMode;
    this.#reduceOnlyReason = this.#reduceOnly ? 'config' : null;
  }

  get config(): RiskConfig {
    return this.#config;
  }

  // --- marks ---------------------------------------------------------------------------------------------------

  get lastMarkUpdate(): ReadonlyMap<string, Date> {
    return this.#lastMarkUpdate;
  }

  recordMarkUpdate(symbol: string, at: Date): void {
    this.#lastMarkUpdate.set(symbol, at);
  }

  /** Age of the last mark in milliseconds, or undefined for a symbol never marked. */
  markAgeMs(symbol: string): number | undefined {
    const at = this.#lastMarkUpdate.get(symbol);
    return at === undefined ? undefined : this.#clock.now().getTime() - at.getTime();
  }

  /** A symbol never marked counts as fresh (the reference's rule); stale means strictly older than the limit. */
  isMarkStale(symbol: string): boolean {
    const age = this.markAgeMs(symbol);
    return age !== undefined && age > this.#config.maxMarkStalenessSeconds * 1000;
  }

  /**
   * The cycle's staleness gate. Over the limit: an info log, trading continues. Over twice the limit: event
   * "stale_mark_price", a warning, and true — the cycle should skip the symbol (pre-trade refuses it too).
   */
  checkMarkStaleness(symbol: string): boolean {
    const age = this.markAgeMs(symbol);
    if (age === undefined) return false;
    const limitSeconds = this.#config.maxMarkStalenessSeconds;
    const ageSeconds = age / 1000;
    if (age > limitSeconds * 2 * 1000) {
      this.#events.record('stale_mark_price', {
        symbol,
        age_seconds: String(ageSeconds),
        limit_seconds: String(limitSeconds),
        action: 'halt_new_orders',
      });
      this.#logger.warn(
        `Stale mark price for ${symbol}: ${ageSeconds}s > hard limit ${limitSeconds * 2}s - Halting new orders`,
        { symbol, ageSeconds },
      );
      return true;
    }
    if (age > limitSeconds * 1000) {
      this.#logger.info(`Mark slightly stale for ${symbol}: ${ageSeconds}s > ${limitSeconds}s - continuing`, {
        symbol,
        ageSeconds,
      });
    }
    return false;
  }

  // --- pre-trade -----------------------------------------------------------------------------------------------

  preTradeCheck(request: PreTradeRequest): RiskDecision {
    const { symbol } = request;
    const decision = evaluatePreTrade(request, {
      config: this.#config,
      now: this.#clock.now(),
      killSwitch: this.#killSwitch,
      reduceOnly: this.#reduceOnly,
      reduceOnlyReason: this.#reduceOnlyReason,
      symbolReduceOnly: this.#symbolReduceOnly.has(symbol),
      markAgeMs: this.markAgeMs(symbol),
    });
    if (decision.allowed) return decision;

    if (decision.code === 'KILL_SWITCH') {
      this.#events.record('kill_switch', {
        symbol,
        message: 'Kill switch enabled - trading halted',
        component: 'risk_manager',
        action: 'order_blocked',
      });
    } else if (decision.code === 'REDUCE_ONLY' || decision.code === 'DAILY_LOSS') {
      this.#events.record('reduce_only_block', {
        symbol,
        message: `Blocked increase for ${symbol} (reduce-only)`,
        reason: this.#symbolReduceOnly.get(symbol) ?? this.#reduceOnlyReason ?? 'unspecified',
        component: 'risk_manager',
      });
    }
    this.#logger.warn(`Pre-trade check rejected ${request.side} ${symbol}: ${decision.reason}`, {
      symbol,
      code: decision.code,
    });
    return decision;
  }

  /** Spread + impact against slippageGuardBps, for a quote just before a market order. */
  validateSlippage(input: SlippageInput): RiskDecision {
    const decision = evaluateSlippage(input, this.#config.slippageGuardBps);
    if (!decision.allowed)
      this.#logger.warn(`Slippage guard rejected ${input.symbol}: ${decision.reason}`, { symbol: input.symbol });
    return decision;
  }

  // --- modes ---------------------------------------------------------------------------------------------------

  get killSwitchEnabled(): boolean {
    return this.#killSwitch;
  }

  /** Turns the global halt on or off; records event "kill_switch" on a change. Returns whether it changed. */
  setKillSwitch(enabled: boolean, reason: string): boolean {
    if (this.#killSwitch === enabled) return false;
    this.#killSwitch = enabled;
    this.#killSwitchReason = enabled ? reason : null;
    this.#persist();
    this.#events.record('kill_switch', { enabled, reason, component: 'risk_manager' });
    const message = `Kill switch ${enabled ? 'enabled - all trading halted' : 'disabled'} (${reason})`;
    if (enabled) this.#logger.warn(message, { reason });
    else this.#logger.info(message, { reason });
    return true;
  }

  get reduceOnlyMode(): boolean {
    return this.#reduceOnly;
  }

  /** Why reduce-only mode is on ("config", "daily_loss_limit", "volatility_circuit_breaker", …); null when off. */
  get reduceOnlyReason(): string | null {
    return this.#reduceOnlyReason;
  }

  /** Records event "reduce_only_mode_changed" on every change. Returns whether it changed. */
  setReduceOnlyMode(enabled: boolean, reason: string): boolean {
    if (this.#reduceOnly === enabled) return false;
    this.#reduceOnly = enabled;
    this.#reduceOnlyReason = enabled ? reason || 'unspecified' : null;
    this.#persist();
    this.#events.record('reduce_only_mode_changed', { enabled, reason: reason || 'unspecified' });
    const message = `Reduce-only mode ${enabled ? 'enabled' : 'disabled'} (${reason || 'unspecified'})`;
    if (enabled) this.#logger.warn(message, { reason });
    else this.#logger.info(message, { reason });
    return true;
  }

  isSymbolReduceOnly(symbol: string): boolean {
    return this.#symbolReduceOnly.has(symbol);
  }

  /** Symbols carrying their own reduce-only flag, with the reason. */
  get symbolReduceOnly(): ReadonlyMap<string, string> {
    return this.#symbolReduceOnly;
  }

  /** A per-symbol flag stays until cleared here (by an operator or once the position is closed). */
  clearSymbolReduceOnly(symbol: string): boolean {
    const cleared = this.#symbolReduceOnly.delete(symbol);
    if (cleared) this.#persist();
    if (cleared) this.#logger.info(`Reduce-only cleared for ${symbol}`, { symbol });
    return cleared;
  }

  // --- state that survives a restart ---------------------------------------------------------------------------

  /** The state to save: kill switch, reduce-only and why, per-symbol flags, the day's start and its breach. */
  snapshot(): RiskStateSnapshot {
    const daily = this.#daily.saved;
    return {
      version: 1,
      killSwitch: { enabled: this.#killSwitch, reason: this.#killSwitchReason },
      reduceOnly: { enabled: this.#reduceOnly, reason: this.#reduceOnlyReason },
      symbolReduceOnly: Object.fromEntries(this.#symbolReduceOnly),
      daily: daily
        ? { day: daily.day, startOfDayEquity: daily.startOfDayEquity.toFixed(), breached: daily.breached }
        : null,
    };
  }

  /**
   * Takes back a state saved before a restart, at start, before the first cycle. Modes only tighten: a saved
   * kill switch, reduce-only or symbol flag is added to what the configuration says, never lifts it. Modes the
   * configuration itself set (reason "config") are the configuration's to decide, so they are not restored.
   * The daily-loss state is restored on the same UTC day only; a reduce-only the daily loss caused ends with its
   * day. Whatever was restored is saved back at once, so the file says what the bot now holds.
   */
  restore(saved: RiskStateSnapshot): RiskRestoreOutcome {
    const restored: string[] = [];
    const dropped: string[] = [];
    const today = this.#clock.now().toISOString().slice(0, 10);
    const sameDay = saved.daily?.day === today;
    if (saved.killSwitch.enabled && saved.killSwitch.reason !== CONFIG_REASON && !this.#killSwitch) {
      this.#killSwitch = true;
      this.#killSwitchReason = saved.killSwitch.reason ?? 'unspecified';
      restored.push(`kill switch (${this.#killSwitchReason})`);
    }
    const reduceReason = saved.reduceOnly.reason ?? 'unspecified';
    if (saved.reduceOnly.enabled && reduceReason !== CONFIG_REASON && !this.#reduceOnly) {
      if (reduceReason === DAILY_LOSS_REASON && !sameDay) {
        dropped.push(`reduce-only (${reduceReason}, ${saved.daily?.day ?? 'unknown day'} is over)`);
      } else {
        this.#reduceOnly = true;
        this.#reduceOnlyReason = reduceReason;
        restored.push(`reduce-only (${reduceReason})`);
      }
    }
    for (const [symbol, reason] of Object.entries(saved.symbolReduceOnly)) {
      if (this.#symbolReduceOnly.has(symbol)) continue;
      this.#symbolReduceOnly.set(symbol, reason);
      restored.push(`reduce-only for ${symbol} (${reason})`);
    }
    if (saved.daily) {
      if (sameDay) {
        this.#daily.restore(saved.daily.day, new DecimalValue(saved.daily.startOfDayEquity), saved.daily.breached);
        restored.push(`daily loss from ${saved.daily.startOfDayEquity}${saved.daily.breached ? ' (breached)' : ''}`);
      } else {
        dropped.push(`daily loss of ${saved.daily.day}`);
      }
    }
    if (restored.length > 0)
      this.#logger.warn(`Risk state restored from the last run: ${restored.join(', ')}`, { restored });
    if (dropped.length > 0) this.#logger.info(`Risk state not restored: ${dropped.join(', ')}`, { dropped });
    this.#persist();
    return { restored, dropped };
  }

  #persist(): void {
    if (!this.#persistence) return;
    try {
      this.#persistence.save(this.snapshot());
    } catch (error) {
      this.#logger.error(`Could not save the risk state: ${describeError(error)}`);
    }
  }

  // --- runtime checks ------------------------------------------------------------------------------------------

  /**
   * Feeds an equity snapshot. The first call of a UTC day records the starting equity. A loss strictly beyond
   * dailyLossLimit switches reduce-only on (reason "daily_loss_limit") and records event "daily_loss_breach" —
   * once per day, however many cycles stay under water.
   */
  trackDailyPnl(equity: Decimal): DailyPnlStatus {
    if (!equity.isFinite()) {
      this.#logger.warn(`Daily PnL not tracked: equity ${equity.toFixed()} is not a finite number`);
      return this.#daily.status ?? { startOfDayEquity: ZERO, dailyPnl: ZERO, breached: false, newlyBreached: false };
    }
    const limit = this.#config.dailyLossLimit;
    const dayBefore = this.#daily.saved?.day;
    const status = this.#daily.update(equity, this.#clock.now(), limit);
    // A new day's starting equity is saved at once (a restart must measure from it, not from its own first
    // equity); a breach is saved by setReduceOnlyMode below, before it is announced.
    if (this.#daily.saved?.day !== dayBefore && !status.newlyBreached) this.#persist();
    if (status.newlyBreached) {
      const loss = status.dailyPnl.negated();
      // Saved by the mode change; when reduce-only was already on for another reason, the breach is saved here.
      if (!this.setReduceOnlyMode(true, DAILY_LOSS_REASON)) this.#persist();
      this.#events.record('daily_loss_breach', {
        daily_pnl: status.dailyPnl.toFixed(),
        daily_loss_abs: loss.toFixed(),
        limit: limit.toFixed(),
        start_of_day_equity: status.startOfDayEquity.toFixed(),
        action: 'reduce_only_mode_enabled',
      });
      this.#logger.warn(
        `Daily loss limit breached: ${loss.toFixed()} > ${limit.toFixed()} - Enabling reduce-only mode`,
        { dailyPnl: status.dailyPnl.toFixed(), limit: limit.toFixed() },
      );
    }
    return status;
  }

  /** Starts a new daily-loss day from `equity` now (reduce-only stays as it is: lifting it is a decision). */
  resetDailyTracking(equity: Decimal): void {
    this.#daily.reset(equity, this.#clock.now());
    this.#persist();
    this.#logger.info(`Reset daily tracking - start of day equity: ${equity.toFixed()}`);
  }

  get dailyPnl(): DailyPnlStatus | undefined {
    return this.#daily.status;
  }

  /**
   * Runtime liquidation-buffer check over open positions: buffer = (equity − notional / cap) / equity, where a
   * position's notional is |contracts| × mark × its contract size from `contractSizes` (1 when not listed, the
   * shape of PreTradeRequest.contractSizes). A symbol below minLiquidationBufferPct gets its own reduce-only flag;
   * event "liquidation_buffer_breach" is recorded when the flag is set (not again while it stays set). Returns the
   * symbols below the minimum now.
   */
  checkLiquidationBuffers(
    positions: readonly Position[],
    equity: Decimal,
    contractSizes: ContractSizes = {},
  ): string[] {
    const now = this.#clock.now();
    const min = this.#config.minLiquidationBufferPct;
    const breaching: string[] = [];
    for (const position of positions) {
      const { symbol } = position;
      if (signedQuantity(position).isZero() || !position.markPrice.greaterThan(0) || breaching.includes(symbol))
        continue;
      const notional = positionNotional(position, contractSizes);
      const cap = leverageCaps(symbol, this.#config, now).effectiveCap;
      if (!bufferBelowMinimum(notional, equity, cap, min)) continue;
      breaching.push(symbol);
      if (this.#symbolReduceOnly.has(symbol)) continue;
      this.#symbolReduceOnly.set(symbol, 'liquidation_buffer');
      this.#persist();
      const buffer = bufferPct(notional, equity, cap);
      this.#events.record('liquidation_buffer_breach', {
        symbol,
        buffer_pct: buffer === undefined ? null : buffer.toFixed(),
        limit: min.toFixed(),
        equity: equity.toFixed(),
        notional: notional.toFixed(),
        action: `reduce_only_enabled_for_${symbol}`,
      });
      this.#logger.warn(
        `Liquidation buffer breach for ${symbol}: ${buffer === undefined ? 'no equity' : pctText(buffer)} < ${pctText(min)} - Setting reduce-only`,
        { symbol },
      );
    }
    return breaching;
  }

  /**
   * The volatility circuit breaker over a symbol's recent marks (off unless enableVolatilityCircuitBreaker): at the
   * warning threshold it warns, at the reduce-only threshold it switches reduce-only on, at the kill threshold it
   * sets the kill switch; each firing records event "volatility_circuit_breaker" and starts the symbol's cooldown.
   */
  checkVolatilityCircuitBreaker(symbol: string, marks: readonly Decimal[]): VolatilityOutcome {
    const config = this.#config;
    const outcome = this.#breaker.evaluate(symbol, marks, this.#clock.now().getTime());
    const { action, volatility } = outcome;
    if (!outcome.triggered || volatility === undefined) return outcome;
    if (action === 'kill_switch') this.setKillSwitch(true, VOLATILITY_REASON);
    else if (action === 'reduce_only') this.setReduceOnlyMode(true, VOLATILITY_REASON);
    this.#events.record('volatility_circuit_breaker', {
      symbol,
      rolling_volatility: volatility.toFixed(6),
      action,
      warning_threshold: config.volatilityWarningThreshold,
      reduce_only_threshold: config.volatilityReduceOnlyThreshold,
      kill_switch_threshold: config.volatilityKillSwitchThreshold,
    });
    this.#logger.warn(`Volatility CB: ${symbol} vol=${volatility.toFixed(3)} action=${action}`, { symbol, action });
    return outcome;
  }
}
