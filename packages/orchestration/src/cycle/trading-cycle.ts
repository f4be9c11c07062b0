import {
  describeError,
  decimalToString,
  type Balance,
  type Brokerage,
  type Clock,
  type Decimal,
  type EventStore,
  type Logger,
  type OrdersStore,
  type Position,
  type PreTradeRisk,
  type Product,
} from '@perps-bot/core';
import type { MarkWindows } from '@perps-bot/market-data';
import type { LiveRiskManager } from '@perps-bot/risk';
import type { BotConfig } from '../bot-config.js';
import { BaselineStrategy } from './baseline-strategy.js';
import { hold, type Decision, type PositionState, type Strategy } from './decision.js';
import { accountEquity, cashEquity, symbolEquity } from './equity.js';
import { ExecutionService, type Executor } from '../execution/execution-service.js';
import type { ExecutionMode } from '../execution/execution-mode.js';
import { ShadowExecution, type ShadowExecutionOptions } from '../execution/shadow-execution.js';
import { configFingerprint, eventStoreSink } from '../experiments/experiment-record.js';
import { OrderExecutor, type ExecutionOutcome, type OrderExecutorOptions } from './order-executor.js';
import { ProductCache } from './product-cache.js';
import type { OrderCounters } from './order-stats.js';
import { PositionBook, type PositionDrift } from './position-book.js';
import { SessionGuard, type TradingSession } from './session-guard.js';

/** What the cycle needs from the bot (PerpsBot satisfies it). */
export interface CycleHost {
  readonly botId: string;
  readonly config: BotConfig;
  readonly symbols: readonly string[];
  readonly markWindows: MarkWindows;
  readonly broker: Brokerage;
  /** The runtime risk gates (LiveRiskManager): the same instance the mark paths record into. */
  readonly riskManager: CycleRisk;
  readonly eventStore: EventStore | undefined;
  readonly ordersStore: OrdersStore | undefined;
  readonly orderStats: OrderCounters;
  readonly logger: Logger;
  readonly clock: Clock;
}

/** What the cycle asks the risk manager besides the pre-trade check. */
export type CycleRisk = Pick<
  LiveRiskManager,
  | 'killSwitchEnabled'
  | 'checkMarkStaleness'
  | 'checkVolatilityCircuitBreaker'
  | 'trackDailyPnl'
  | 'checkLiquidationBuffers'
  | 'reduceOnlyMode'
  | 'reduceOnlyReason'
  | 'setReduceOnlyMode'
  | 'isSymbolReduceOnly'
>;

/** The reduce-only reason the cycle sets after too many cycles without balances or positions. */
export const UNKNOWN_STATE_REASON = 'account_state_unknown';
/** RISK_UNKNOWN_STATE_CYCLES' default. */
const DEFAULT_UNKNOWN_STATE_CYCLES = 3;

/** The reference's volatility window: the last max(longMa, 20) marks. */
const VOLATILITY_MARKS = 20;

/** How the bot trades, beyond BotConfig. Without these, PerpsBot.runCycle only updates marks. */
export interface TradingOptions {
  /** The pre-trade check every order passes before it is placed (or recorded as a dry run). */
  readonly preTradeRisk: PreTradeRisk;
  readonly session?: TradingSession;
  /** Fraction of equity per entry before leverage (default 0.05). */
  readonly positionFraction?: number;
  /** Replaces the baseline MA crossover. */
  readonly strategy?: Strategy;
  readonly newClientOrderId?: () => string;
  /** How long a product (sizes, increments, contract size) is used before it is fetched again (default 15 min). */
  readonly productRefreshMs?: number;
  /**
   * Cycles in a row without balances or positions after which the bot switches reduce-only (reason
   * "account_state_unknown"); it leaves that reason when both are read again. Default 3.
   */
  readonly unknownStateCycles?: number;
  /**
   * Who turns decisions into orders (USE_NEW_EXECUTION_SERVICE): `service` (default) the ExecutionService,
   * `legacy` the frozen OrderExecutor; `shadow` the legacy executor places orders and the service runs beside it
   * on a paper twin (ShadowExecution).
   */
  readonly execution?: ExecutionMode;
  /** Settings of the execution shadow (`execution: 'shadow'`). */
  readonly executionShadow?: ShadowExecutionOptions;
}

export interface CycleReport {
  readonly cycle: number;
  readonly inSession: boolean;
  readonly decisions: ReadonlyMap<string, Decision>;
  readonly outcomes: ReadonlyMap<string, ExecutionOutcome>;
  readonly errors: ReadonlyMap<string, string>;
}

/**
 * One trading cycle after the marks are updated (the reference's run_cycle): the session guard, balances and
 * positions, the day's P&L against the daily loss limit and each position's liquidation buffer (a breach flags
 * the symbol reduce-only), each symbol's decision and execution concurrently, then a "cycle_metrics" event.
 * Each symbol first passes the runtime risk gates in the reference's order (kill switch, volatility breaker,
 * mark staleness). An error on one symbol is logged and recorded and never stops the others or the cycle.
 */
export class TradingCycle {
  readonly session: SessionGuard;
  readonly strategy: Strategy;
  readonly executor: Executor;
  readonly lastDecisions = new Map<string, Decision>();
  cycles = 0;
  lastReport: CycleReport | undefined;
  /** Cycles in a row whose balances or positions could not be read. */
  unknownStreak = 0;
  readonly positions = new PositionBook((drift) => this.#recordDrift(drift));
  readonly #host: CycleHost;
  readonly #unknownStateCycles: number;
  /** Products by symbol, for the bot's symbols and every symbol a position is held in; checked and refreshed. */
  readonly #products: ProductCache;

  constructor(host: CycleHost, options: TradingOptions) {
    this.#host = host;
    this.#products = new ProductCache({
      load: (symbol) => host.broker.getProduct(symbol),
      clock: host.clock,
      logger: host.logger,
      ...(options.productRefreshMs === undefined ? {} : { refreshMs: options.productRefreshMs }),
    });
    const c = host.config;
    this.session = new SessionGuard(options.session);
    this.strategy =
      options.strategy ??
      new BaselineStrategy({
        shortMa: c.shortMa,
        longMa: c.longMa,
        targetLeverage: c.targetLeverage,
        trailingStopPct: c.trailingStopPct,
        enableShorts: c.enableShorts,
        reduceOnly: c.reduceOnlyMode,
        ...(options.positionFraction === undefined ? {} : { positionFraction: options.positionFraction }),
      });
    this.#unknownStateCycles = options.unknownStateCycles ?? DEFAULT_UNKNOWN_STATE_CYCLES;
    const risk = host.riskManager;
    const executorOptions: OrderExecutorOptions = {
      positions: this.positions,
      clock: host.clock,
      reduceOnlyNow: (symbol) => risk.reduceOnlyMode || risk.isSymbolReduceOnly(symbol),
      botId: host.botId,
      broker: host.broker,
      risk: options.preTradeRisk,
      logger: host.logger,
      eventStore: host.eventStore,
      ordersStore: host.ordersStore,
      stats: host.orderStats,
      dryRun: c.dryRun,
      reduceOnlyMode: c.reduceOnlyMode,
      timeInForce: c.timeInForce,
      ...(options.newClientOrderId ? { newClientOrderId: options.newClientOrderId } : {}),
    };
    const execution = options.execution ?? 'service';
    this.executor =
      execution === 'service'
        ? new ExecutionService(executorOptions)
        : execution === 'shadow'
          ? new ShadowExecution(executorOptions, {
              cycle: () => this.cycles,
              ...(host.eventStore ? { record: eventStoreSink(host.eventStore, host.botId, host.logger) } : {}),
              fingerprint: configFingerprint({
                symbols: c.symbols,
                dryRun: c.dryRun,
                reduceOnlyMode: c.reduceOnlyMode,
                timeInForce: c.timeInForce,
                targetLeverage: c.targetLeverage,
                maxLeverage: c.maxLeverage,
                enableShorts: c.enableShorts,
                trailingStopPct: c.trailingStopPct,
                percent: options.executionShadow?.percent ?? 100,
              }),
              ...options.executionShadow,
            })
          : new OrderExecutor(executorOptions);
    // Intents an earlier process left without an outcome block their symbols until looked up.
    this.executor.outcomes.loadUnresolved();
  }

  /** Orders of unknown outcome and still-open orders, looked up at the exchange (also run by reconciliation). */
  get outcomes(): Executor['outcomes'] {
    return this.executor.outcomes;
  }

  /** Resolves once the executor's work left running after the cycles so far (shadow comparisons) is done. */
  async settled(): Promise<void> {
    await this.executor.settled?.();
  }

  async run(): Promise<CycleReport> {
    const host = this.#host;
    this.cycles += 1;
    const started = host.clock.now();
    const decisions = new Map<string, Decision>();
    const outcomes = new Map<string, ExecutionOutcome>();
    const errors = new Map<string, string>();
    const inSession = this.session.isOpen(started);
    if (!inSession) {
      host.logger.info(`Outside the trading session (${this.session.describe()}); no decisions this cycle`);
    } else {
      // Earlier orders first: a symbol whose last order has no known outcome takes no new one.
      await this.outcomes.resolve();
      const [fetchedBalances, fetchedPositions] = await Promise.all([
        this.#fetch('balances', () => host.broker.listBalances()),
        this.#fetch('positions', () => host.broker.listPositions()),
      ]);
      if (!fetchedBalances || !fetchedPositions) {
        this.#accountStateUnknown(
          fetchedBalances ? 'positions' : fetchedPositions ? 'balances' : 'balances and positions',
        );
        for (const symbol of host.symbols) {
          const decision = hold('Account state unknown');
          decisions.set(symbol, decision);
          this.lastDecisions.set(symbol, decision);
        }
      } else {
        this.#accountStateKnown();
        const balances = fetchedBalances;
        const positions = fetchedPositions;
        this.positions.observe(positions, (s) => this.outcomes.isBlocked(s));
        const contractSizes = await this.#contractSizes(positions);
        const equity = accountEquity(balances, positions);
        host.riskManager.trackDailyPnl(equity);
        // Flags a symbol reduce-only on a breach; its pre-trade check then refuses anything but reducing orders.
        host.riskManager.checkLiquidationBuffers(positions, equity, contractSizes);
        await Promise.all(
          host.symbols.map(async (symbol) => {
            try {
              const result = await this.#processSymbol(symbol, balances, positions, contractSizes);
              decisions.set(symbol, result.decision);
              this.lastDecisions.set(symbol, result.decision);
              if (result.outcome) outcomes.set(symbol, result.outcome);
            } catch (error) {
              errors.set(symbol, describeError(error));
              host.logger.error(`Error processing ${symbol}: ${describeError(error)}`, { symbol });
            }
          }),
        );
      }
    }
    const report: CycleReport = { cycle: this.cycles, inSession, decisions, outcomes, errors };
    this.lastReport = report;
    this.#recordMetrics(report, host.clock.now().getTime() - started.getTime());
    return report;
  }

  async #processSymbol(
    symbol: string,
    balances: readonly Balance[],
    positions: readonly Position[],
    contractSizes: Readonly<Record<string, Decimal>>,
  ): Promise<{ decision: Decision; outcome?: ExecutionOutcome }> {
    const host = this.#host;
    const risk = host.riskManager;
    if (risk.killSwitchEnabled) {
      host.logger.warn(`Kill switch enabled - skipping ${symbol}`, { symbol });
      return { decision: hold('Kill switch') };
    }
    const marks = host.markWindows.get(symbol) ?? [];
    const current = marks.at(-1);
    if (current === undefined) {
      host.logger.warn(`No marks for ${symbol}; skipping`, { symbol });
      return { decision: hold('No marks') };
    }
    const held = positions.find((p) => p.symbol === symbol && !p.quantity.isZero());
    const position: PositionState | undefined = held
      ? {
          quantity: held.quantity.abs(),
          side: held.side ?? (held.quantity.isNegative() ? 'short' : 'long'),
          entryPrice: held.entryPrice,
        }
      : undefined;
    const product = await this.#product(symbol);
    const equity = symbolEquity(cashEquity(balances), position?.quantity, current, product.contractSize);
    if (equity.isZero()) {
      host.logger.error(`No equity to trade ${symbol} with`, { symbol });
      return { decision: hold('No equity') };
    }
    const volatility = risk.checkVolatilityCircuitBreaker(
      symbol,
      marks.slice(-Math.max(host.config.longMa, VOLATILITY_MARKS)),
    );
    if (volatility.action === 'kill_switch') return { decision: hold('Volatility circuit breaker') };
    if (risk.checkMarkStaleness(symbol)) {
      host.logger.warn(`Mark for ${symbol} is stale; skipping`, { symbol });
      return { decision: hold('Stale mark') };
    }
    if (this.outcomes.isBlocked(symbol)) {
      host.logger.warn(`${symbol} has an order without a known outcome; no new order until it is looked up`, {
        symbol,
      });
      return { decision: hold('Order outcome unknown') };
    }
    if (!this.positions.isSettled(symbol)) {
      host.logger.warn(
        `Positions for ${symbol} do not show our last fill yet (${this.positions.laggingReads(symbol)} answer(s)); holding`,
        { symbol },
      );
      return { decision: hold('Positions lag our last fill') };
    }
    const decision = this.strategy.decide({ symbol, current, recent: marks.slice(0, -1), position, equity, product });
    host.logger.info(`${symbol} decision ${decision.action}: ${decision.reason}`, { symbol, action: decision.action });
    if (decision.action === 'HOLD') return { decision };
    const outcome = await this.executor.execute({
      symbol,
      decision,
      mark: current,
      product,
      position,
      equity,
      positions,
      contractSizes,
    });
    return { decision, outcome };
  }

  /** See ProductCache: checked, refreshed every productRefreshMs; a failure is retried next time. */
  #product(symbol: string): Promise<Product> {
    return this.#products.get(symbol);
  }

  /** Contract sizes of the products positions are held in, so risk counts futures notional in base units. */
  async #contractSizes(positions: readonly Position[]): Promise<Record<string, Decimal>> {
    const sizes: Record<string, Decimal> = {};
    for (const symbol of new Set(positions.map((p) => p.symbol))) {
      try {
        sizes[symbol] = (await this.#product(symbol)).contractSize;
      } catch (error) {
        this.#host.logger.warn(
          `No product for ${symbol}: ${describeError(error)}; its position counts with contract size 1`,
          { symbol },
        );
      }
    }
    return sizes;
  }

  /**
   * The list, or undefined (after a warning) when the broker could not give it. The reference went on with an
   * empty list (a quirk: "no positions" is not "unknown positions"); here the cycle then opens nothing.
   */
  async #fetch<T>(what: string, load: () => Promise<T[]>): Promise<T[] | undefined> {
    try {
      return await load();
    } catch (error) {
      this.#host.logger.warn(`Could not fetch ${what}: ${describeError(error)}; no orders this cycle`);
      return undefined;
    }
  }

  #accountStateUnknown(what: string): void {
    const risk = this.#host.riskManager;
    this.unknownStreak += 1;
    if (this.unknownStreak >= this.#unknownStateCycles && !risk.reduceOnlyMode) {
      this.#host.logger.error(
        `No ${what} for ${this.unknownStreak} cycles in a row: switching reduce-only until they are read again`,
      );
      risk.setReduceOnlyMode(true, UNKNOWN_STATE_REASON);
    }
  }

  #accountStateKnown(): void {
    const risk = this.#host.riskManager;
    this.unknownStreak = 0;
    // Only our own reason is lifted: a daily-loss or volatility reduce-only stays.
    if (risk.reduceOnlyMode && risk.reduceOnlyReason === UNKNOWN_STATE_REASON)
      risk.setReduceOnlyMode(false, 'account state read again');
  }

  #recordDrift(drift: PositionDrift): void {
    this.#host.logger.warn(
      `Position drift in ${drift.symbol}: the bot had ${drift.bot}, the exchange has ${drift.exchange}`,
      { symbol: drift.symbol },
    );
    try {
      this.#host.eventStore?.appendEvent('position_drift', this.#host.botId, { ...drift });
    } catch (error) {
      this.#host.logger.error(`Could not record position_drift: ${describeError(error)}`);
    }
  }

  #recordMetrics(report: CycleReport, durationMs: number): void {
    const host = this.#host;
    const marks: Record<string, string | null> = {};
    for (const symbol of host.symbols) {
      const latest = host.markWindows.latest(symbol);
      marks[symbol] = latest ? decimalToString(latest) : null;
    }
    const payload = {
      cycle: report.cycle,
      inSession: report.inSession,
      durationMs,
      marks,
      decisions: Object.fromEntries([...report.decisions].map(([s, d]) => [s, d.action])),
      outcomes: Object.fromEntries([...report.outcomes].map(([s, o]) => [s, o.status])),
      errors: Object.fromEntries(report.errors),
      orderStats: { ...host.orderStats },
    };
    try {
      host.eventStore?.appendEvent('cycle_metrics', host.botId, payload);
    } catch (error) {
      host.logger.error(`Could not record cycle_metrics: ${describeError(error)}`);
    }
  }
}
