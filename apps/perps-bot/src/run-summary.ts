import type { PaperBroker } from '@perps-bot/broker-adapters';
import { Decimal, decimalToString, ZERO } from '@perps-bot/core';

/** Display only: the ledger keeps every digit; a screen needs eight (prices, sizes) or four (money). */
const show = (d: Decimal, places = 8) => decimalToString(d.toDecimalPlaces(places));
const money = (d: Decimal) => show(d, 4);
import type { CycleReport, PerpsBot } from '@perps-bot/orchestration';

/**
 * Watches each cycle's report for a complete trade made in this run: an order that opened a position on a
 * symbol (BUY/SELL placed) and, later, one that closed it (CLOSE placed). `--stop-after-trade` ends the run there.
 */
export class TradeWatch {
  readonly #opened = new Set<string>();
  opens = 0;
  closes = 0;
  completed = 0;

  observe(report: CycleReport | undefined): void {
    if (!report) return;
    for (const [symbol, outcome] of report.outcomes) {
      if (outcome.status !== 'placed') continue;
      const action = report.decisions.get(symbol)?.action;
      if (action === 'CLOSE') {
        this.closes += 1;
        if (this.#opened.delete(symbol)) this.completed += 1;
      } else if (action === 'BUY' || action === 'SELL') {
        this.opens += 1;
        this.#opened.add(symbol);
      }
    }
  }
}

interface SummaryInput {
  readonly bot: PerpsBot;
  readonly cycles: number;
  readonly seconds: number;
  readonly since: Date;
  readonly watch: TradeWatch;
  readonly paper?: PaperBroker | undefined;
  readonly ledgerFile?: string | undefined;
}

/** The one-screen summary printed when a run ends: what it did, what it holds, what it made. */
export function formatRunSummary(input: SummaryInput): string {
  const { bot, watch, paper } = input;
  const stats = bot.orderStats;
  const lines = [
    `── run summary ──`,
    `cycles ${input.cycles} in ${input.seconds.toFixed(1)} s · orders ${stats.successful} placed, ${stats.failed} failed · trades opened ${watch.opens}, closed ${watch.closes}, complete ${watch.completed}`,
  ];
  if (paper) {
    const snapshot = paper.snapshot();
    const fills = paper.journal().filter((j) => j.fill.ts.getTime() >= input.since.getTime());
    lines.push(`paper ledger ${input.ledgerFile ?? '(memory)'}`);
    for (const { fill, realized } of fills.slice(-8)) {
      const pnl = realized.isZero() ? 'opens' : `realized ${money(realized)}`;
      lines.push(
        `  ${fill.ts.toISOString().slice(11, 19)} ${fill.side.padEnd(4)} ${show(fill.quantity)} ${fill.symbol} @ ${show(fill.price)} fee ${money(fill.fee)} · ${pnl}`,
      );
    }
    if (fills.length > 8) lines.push(`  … and ${fills.length - 8} earlier fill(s)`);
    const realized = fills.reduce((s, j) => s.plus(j.realized), ZERO);
    const fees = fills.reduce((s, j) => s.plus(j.fill.fee), ZERO);
    const open = Object.entries(snapshot.holdings).filter(([, h]) => h.quantity !== '0');
    lines.push(
      `positions: ${open.length === 0 ? 'none' : open.map(([s, h]) => `${s} ${h.quantity.startsWith('-') ? 'short' : 'long'} ${h.quantity.replace('-', '')} @ ${show(new Decimal(h.entry))}`).join(', ')}`,
      `this run: realized ${money(realized)}, fees ${money(fees)}, net ${money(realized.minus(fees))} · cash now ${money(new Decimal(snapshot.cash))}`,
    );
  }
  const daily = bot.riskManager.dailyPnl;
  if (daily)
    lines.push(`P&L today ${money(daily.dailyPnl)} (from ${money(daily.startOfDayEquity)} at the day's first cycle)`);
  return lines.join('\n');
}
