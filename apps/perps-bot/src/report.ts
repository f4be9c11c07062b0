import { decimalToString } from '@perps-bot/core';
import type { ExecutionShadowReport, PerpsBot, ShadowReport } from '@perps-bot/orchestration';

/** One line per symbol: its latest mark and how many marks its window holds. */
export function formatMarks(bot: PerpsBot): string {
  const lines = bot.symbols.map((symbol) => {
    const latest = bot.markWindows.latest(symbol);
    const size = bot.markWindows.size(symbol);
    return `${symbol.padEnd(18)} mark=${latest ? decimalToString(latest) : '-'} window=${size}`;
  });
  return lines.join('\n');
}

/** Shadow mode's tally (USE_NEW_MARKET_DATA_SERVICE=shadow): one comparison per symbol per cycle. */
export function formatShadow(report: ShadowReport): string {
  const { runs, matched, mismatched, ignored, candidateErrors } = report;
  return `shadow: runs=${runs} matched=${matched} mismatched=${mismatched} ignored=${ignored} candidateErrors=${candidateErrors}`;
}

/** The execution shadow's tally (USE_NEW_EXECUTION_SERVICE=shadow): one comparison per decision executed. */
export function formatExecutionShadow(report: ExecutionShadowReport): string {
  const { runs, matched, mismatched, ignored, candidateErrors, skipped, paperOrders } = report;
  return `execution shadow: runs=${runs} matched=${matched} mismatched=${mismatched} ignored=${ignored} candidateErrors=${candidateErrors} skipped=${skipped} paperOrders=${paperOrders}`;
}
