import { SessionGuard, type PerpsBot, type TradingSession } from '@perps-bot/orchestration';

/** One reason the bot will not open (or will not place any) orders right now, in words an operator can act on. */
export interface TradingBlock {
  readonly kind: 'kill_switch' | 'reduce_only' | 'symbol_reduce_only' | 'session' | 'stale_marks';
  readonly message: string;
}

/**
 * Why trading is blocked now, if it is: the kill switch (RISK_KILL_SWITCH_ENABLED or a breaker), reduce-only
 * mode and its reason (setting, daily loss, volatility), per-symbol reduce-only (liquidation buffer), the UTC
 * session window, and stale marks (older than twice RISK_MAX_MARK_STALENESS_SECONDS halt their symbol). The
 * banner, `perps-bot status`, the status page and /metrics all read this one list.
 */
export function tradingBlocks(
  bot: PerpsBot,
  now: Date = bot.clock.now(),
  options: { readonly checkMarks?: boolean; readonly session?: TradingSession } = {},
): TradingBlock[] {
  const blocks: TradingBlock[] = [];
  const risk = bot.riskManager;
  if (risk.killSwitchEnabled)
    blocks.push({
      kind: 'kill_switch',
      message: 'kill switch is on (RISK_KILL_SWITCH_ENABLED or a circuit breaker): no orders at all',
    });
  if (risk.reduceOnlyMode)
    blocks.push({
      kind: 'reduce_only',
      message: `reduce-only: only orders that shrink a position (${risk.reduceOnlyReason ?? 'reduceOnlyMode setting'})`,
    });
  for (const [symbol, reason] of risk.symbolReduceOnly)
    blocks.push({ kind: 'symbol_reduce_only', message: `${symbol} reduce-only: ${reason}` });
  // Before the first cycle the cycle (and its guard) does not exist yet: the configured window says the same.
  const session = bot.tradingCycle?.session ?? (options.session ? new SessionGuard(options.session) : undefined);
  if (session && !session.isOpen(now))
    blocks.push({ kind: 'session', message: `outside the trading session (${session.describe()}): no decisions` });
  if (options.checkMarks ?? true) {
    const stale = bot.symbols.filter((s) => risk.markAgeMs(s) !== undefined && risk.isMarkStale(s));
    if (stale.length > 0) {
      const limit = risk.config.maxMarkStalenessSeconds;
      const ages = stale.map((s) => `${s} ${Math.round((risk.markAgeMs(s) ?? 0) / 1000)} s`).join(', ');
      blocks.push({
        kind: 'stale_marks',
        message: `stale marks: ${ages} (stale past ${limit} s, the symbol halts past ${limit * 2} s; RISK_MAX_MARK_STALENESS_SECONDS)`,
      });
    }
  }
  return blocks;
}
