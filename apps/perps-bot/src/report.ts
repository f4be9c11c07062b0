import { decimalToString } from '@perps-bot/core';
import type { PerpsBot } from '@perps-bot/orchestration';

/** One line per symbol: its latest mark and how many marks its window holds. */
export function formatMarks(bot: PerpsBot): string {
  const lines = bot.symbols.map((symbol) => {
    const latest = bot.markWindows.latest(symbol);
    const size = bot.markWindows.size(symbol);
    return `${symbol.padEnd(18)} mark=${latest ? decimalToString(latest) : '-'} window=${size}`;
  });
  return lines.join('\n');
}
