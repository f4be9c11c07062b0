import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PaperBroker } from '@perps-bot/broker-adapters';
import { Decimal, decimalToString, describeError, ZERO, type Brokerage, type Position } from '@perps-bot/core';
import type { CycleReport, ExecutionOutcome, PerpsBot } from '@perps-bot/orchestration';
import { featureFlags, type AppConfig } from '../config/index.js';
import { healthSnapshot, type HealthSnapshot, type HealthState } from '../health.js';
import { tradingBlocks, type TradingBlock } from '../trading-blocks.js';
import type { BotMetrics } from './metrics.js';

/** status.json: the operator's view of the last cycle, beside health.json (read by `perps-bot status`). */
export const STATUS_FILE = 'status.json';

/** Points of mark history kept per symbol for the page's charts. */
const HISTORY_POINTS = 240;
const RECENT = 25;

export interface PositionView {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly quantity: string;
  readonly entryPrice: string;
  readonly markPrice: string;
  readonly unrealizedPnl: string;
}

export interface OrderView {
  readonly at: string;
  readonly cycle: number;
  readonly symbol: string;
  readonly outcome: ExecutionOutcome['status'];
  readonly side: string | null;
  readonly quantity: string | null;
  readonly price: string | null;
  readonly detail: string;
}

export interface DecisionView {
  readonly at: string;
  readonly cycle: number;
  readonly symbol: string;
  readonly action: string;
  readonly reason: string;
}

/** Everything the status page, /api/status, status.json and `perps-bot status` show. */
export interface StatusDocument {
  readonly health: HealthSnapshot;
  readonly history: Record<string, Array<[number, number]>>;
  readonly positions: PositionView[];
  readonly account: {
    readonly cash: string | null;
    readonly equity: string | null;
    readonly dayPnl: string | null;
    readonly startOfDayEquity: string | null;
    readonly feesToday: string | null;
    readonly realizedToday: string | null;
  };
  readonly orders: OrderView[];
  readonly decisions: DecisionView[];
  readonly flags: Array<{ name: string; value: string; effective: string }>;
  readonly risk: {
    readonly killSwitch: boolean;
    readonly reduceOnly: boolean;
    readonly reduceOnlyReason: string | null;
    readonly symbolReduceOnly: Record<string, string>;
    readonly blocks: TradingBlock[];
  };
  readonly dryRunLedger: string | null;
  readonly statusUrl: string | null;
}

interface StatusModelOptions {
  readonly config: AppConfig;
  readonly env: NodeJS.ProcessEnv;
  readonly state: HealthState;
  /** A dry run's paper broker: positions come from its ledger, so reading them costs no quote. */
  readonly paper?: PaperBroker | undefined;
  readonly dryRunLedger?: string | undefined;
  readonly metrics?: BotMetrics | undefined;
  readonly statusFile?: string | undefined;
}

/**
 * The operator's view of a running bot, refreshed once after each cycle from what the cycle already produced
 * (marks, the report, the ledger or one positions call), so serving it never touches the exchange.
 */
export class StatusModel {
  readonly #o: StatusModelOptions;
  readonly #history = new Map<string, Array<[number, number]>>();
  readonly #orders: OrderView[] = [];
  readonly #decisions: DecisionView[] = [];
  #positions: PositionView[] = [];
  #cash: Decimal | null = null;
  #bot: PerpsBot | undefined;
  statusUrl: string | null = null;

  constructor(options: StatusModelOptions) {
    this.#o = options;
  }

  attach(bot: PerpsBot): void {
    this.#bot = bot;
  }

  get bot(): PerpsBot | undefined {
    return this.#bot;
  }

  /** After a cycle: history, the cycle's decisions and orders, positions; then status.json. Never throws. */
  async refresh(report: CycleReport | undefined): Promise<void> {
    const bot = this.#bot;
    if (!bot) return;
    const now = bot.clock.now();
    for (const symbol of bot.symbols) {
      const mark = bot.markWindows.latest(symbol);
      if (!mark) continue;
      const points = this.#history.get(symbol) ?? [];
      points.push([now.getTime(), mark.toNumber()]);
      if (points.length > HISTORY_POINTS) points.splice(0, points.length - HISTORY_POINTS);
      this.#history.set(symbol, points);
    }
    if (report) this.#recordReport(report, now);
    try {
      await this.#loadPositions(bot.broker);
    } catch (error) {
      bot.logger.warn(`Status: could not read positions: ${describeError(error)}`);
    }
    this.writeFile();
  }

  document(): StatusDocument | undefined {
    const bot = this.#bot;
    if (!bot) return undefined;
    const risk = bot.riskManager;
    const daily = risk.dailyPnl;
    const today = bot.clock.now().toISOString().slice(0, 10);
    const journal = this.#o.paper?.journal().filter((j) => j.fill.ts.toISOString().startsWith(today));
    const unrealized = this.#positions.reduce((sum, p) => sum.plus(p.unrealizedPnl), ZERO);
    return {
      health: healthSnapshot(bot, this.#o.state, { broker: this.#o.config.broker, dryRun: this.#o.config.dryRun }),
      history: Object.fromEntries(this.#history),
      positions: this.#positions,
      account: {
        cash: this.#cash ? decimalToString(this.#cash) : null,
        equity: this.#cash ? decimalToString(this.#cash.plus(unrealized)) : null,
        dayPnl: daily ? decimalToString(daily.dailyPnl) : null,
        startOfDayEquity: daily ? decimalToString(daily.startOfDayEquity) : null,
        feesToday: journal ? decimalToString(journal.reduce((s, j) => s.plus(j.fill.fee), ZERO)) : null,
        realizedToday: journal ? decimalToString(journal.reduce((s, j) => s.plus(j.realized), ZERO)) : null,
      },
      orders: [...this.#orders].reverse(),
      decisions: [...this.#decisions].reverse(),
      flags: featureFlags(this.#o.env, this.#o.config.enableStreaming).map((f) => ({
        name: f.name,
        value: f.raw ?? f.defaultValue,
        effective: f.effective,
      })),
      risk: {
        killSwitch: risk.killSwitchEnabled,
        reduceOnly: risk.reduceOnlyMode,
        reduceOnlyReason: risk.reduceOnlyReason,
        symbolReduceOnly: Object.fromEntries(risk.symbolReduceOnly),
        blocks: tradingBlocks(bot),
      },
      dryRunLedger: this.#o.dryRunLedger ?? null,
      statusUrl: this.statusUrl,
    };
  }

  /** status.json beside health.json (atomic), for `perps-bot status` to read while the bot runs or after it stopped. */
  writeFile(): void {
    const file = this.#o.statusFile;
    const doc = file ? this.document() : undefined;
    if (!file || !doc) return;
    try {
      mkdirSync(dirname(file), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${JSON.stringify(doc)}\n`);
      renameSync(temporary, file);
    } catch (error) {
      this.#bot?.logger.error(`Could not write ${file}: ${describeError(error)}`);
    }
  }

  #recordReport(report: CycleReport, now: Date): void {
    const at = now.toISOString();
    for (const [symbol, decision] of report.decisions) {
      if (
        decision.action === 'HOLD' &&
        this.#decisions.at(-1)?.symbol === symbol &&
        this.#decisions.at(-1)?.reason === decision.reason
      )
        continue;
      this.#decisions.push({ at, cycle: report.cycle, symbol, action: decision.action, reason: decision.reason });
    }
    for (const [symbol, outcome] of report.outcomes) {
      const order = 'order' in outcome ? outcome.order : undefined;
      const price = outcome.status === 'placed' ? outcome.placed.avgFillPrice : null;
      const detail =
        outcome.status === 'placed'
          ? `${outcome.placed.id} ${outcome.placed.status}`
          : outcome.status === 'failed'
            ? outcome.error
            : outcome.status === 'rejected' || outcome.status === 'skipped'
              ? outcome.reason
              : 'recorded';
      this.#orders.push({
        at,
        cycle: report.cycle,
        symbol,
        outcome: outcome.status,
        side: order?.side ?? null,
        quantity: order ? decimalToString(order.quantity) : null,
        price: price ? decimalToString(price) : null,
        detail,
      });
    }
    trim(this.#decisions, RECENT * 2);
    trim(this.#orders, RECENT);
  }

  async #loadPositions(broker: Brokerage): Promise<void> {
    const bot = this.#bot;
    let positions: readonly Position[];
    let cash: Decimal | null;
    const paper = this.#o.paper;
    if (paper && bot) {
      // From the ledger and the marks the cycle already fetched: no extra quote, so no extra step of a walk.
      const snapshot = paper.snapshot();
      cash = new Decimal(snapshot.cash);
      positions = Object.entries(snapshot.holdings)
        .filter(([, h]) => !new Decimal(h.quantity).isZero())
        .map(([symbol, h]) => {
          const quantity = new Decimal(h.quantity);
          const entry = new Decimal(h.entry);
          const mark = bot.markWindows.latest(symbol) ?? entry;
          const size = new Decimal(snapshot.contractSizes[symbol] ?? '1');
          return {
            symbol,
            quantity,
            entryPrice: entry,
            markPrice: mark,
            unrealizedPnl: mark.minus(entry).times(quantity).times(size),
            realizedPnl: new Decimal(h.realized),
            leverage: null,
            side: quantity.isNegative() ? 'short' : 'long',
          } satisfies Position;
        });
    } else {
      positions = await broker.listPositions();
      const balances = await broker.listBalances();
      cash = balances.reduce((sum, b) => sum.plus(b.total), ZERO);
    }
    this.#cash = cash;
    this.#positions = positions
      .filter((p) => !p.quantity.isZero())
      .map((p) => ({
        symbol: p.symbol,
        side: p.side ?? (p.quantity.isNegative() ? 'short' : 'long'),
        quantity: decimalToString(p.quantity),
        entryPrice: decimalToString(p.entryPrice),
        markPrice: decimalToString(p.markPrice),
        unrealizedPnl: decimalToString(p.unrealizedPnl),
      }));
    this.#o.metrics?.positions.reset();
    for (const p of positions) this.#o.metrics?.positions.set({ symbol: p.symbol }, p.quantity.toNumber());
  }
}

function trim<T>(list: T[], limit: number): void {
  if (list.length > limit) list.splice(0, list.length - limit);
}
