import type { PerpsBot } from '@perps-bot/orchestration';
import { configView, featureFlags, type AppConfig, type LoadedConfig } from './config/index.js';
import { tradingBlocks, type TradingBlock } from './trading-blocks.js';

interface BannerExtras {
  /** With it, the banner lists every setting and every RISK_* one with its value and source. */
  readonly loaded?: LoadedConfig;
  /** A dry run's paper ledger file. */
  readonly dryRunLedger?: string;
  /** The status server's address, when it is on. */
  readonly statusUrl?: string;
  /** What the previous run left behind when it did not stop cleanly (see unclean-stop.ts). */
  readonly uncleanStop?: string;
}

/** What the bot is about to do, before it does it: profile, broker, money at risk or not, every setting, why it will not trade. */
export function startupBanner(
  bot: PerpsBot,
  config: AppConfig,
  env: NodeJS.ProcessEnv,
  storageDir: string,
  extras: BannerExtras = {},
): string {
  const session = bot.tradingCycle?.session.describe() ?? sessionText(config);
  const flags = featureFlags(env, config.enableStreaming)
    .map((f) => `${f.name}=${f.raw ?? f.defaultValue} → ${f.effective}`)
    .join('; ');
  const mode = config.dryRun
    ? `DRY RUN (no orders placed: paper fills at the quotes seen, fee ${config.paperFeeBps} bp, slippage ${config.paperSlippageBps} bp${extras.dryRunLedger ? `, ledger ${extras.dryRunLedger}` : ''})`
    : 'LIVE (orders are placed)';
  const lines = [
    `perps-bot profile=${config.profile} market-data=${bot.marketDataMode}`,
    `  broker=${config.broker} ${mode} interval=${config.updateInterval}s symbols=${config.symbols.join(',')} session=${session}`,
    `  flags: ${flags}`,
    `  data: ${storageDir}`,
  ];
  if (extras.loaded) {
    const view = configView(extras.loaded, env);
    const settings = Object.entries(view.settings).map(([key, s]) => `${key}=${s.value} (${s.source})`);
    const risk = Object.values(view.risk).map((r) => `${r.env.split(' ')[0]}=${r.value} (${r.source})`);
    lines.push(...wrap('  settings: ', settings), ...wrap('  risk: ', risk));
  }
  const blocks = tradingBlocks(bot, bot.clock.now(), { checkMarks: false, session: sessionOf(config) });
  lines.push(`  trading: ${describeBlocks(blocks)}`);
  if (extras.statusUrl) lines.push(`  status: ${extras.statusUrl} (/healthz /readyz /metrics)`);
  if (extras.uncleanStop) lines.push(`  last stop: ${extras.uncleanStop}`);
  return lines.join('\n');
}

function describeBlocks(blocks: readonly TradingBlock[]): string {
  return blocks.length === 0 ? 'allowed' : `BLOCKED: ${blocks.map((b) => b.message).join('; ')}`;
}

function sessionOf(config: AppConfig) {
  return { start: config.tradingWindowStart, end: config.tradingWindowEnd, days: config.tradingDays };
}

/** Items joined with two spaces, wrapped at about 160 columns, continuation lines indented like the first. */
function wrap(first: string, items: readonly string[]): string[] {
  const out: string[] = [];
  let line = first;
  const indent = ' '.repeat(first.length);
  for (const item of items) {
    if (line.length + item.length > 160 && line.trim() !== first.trim()) {
      out.push(line.trimEnd());
      line = indent;
    }
    line += `${item}  `;
  }
  out.push(line.trimEnd());
  return out;
}

function sessionText(config: AppConfig): string {
  const window = config.tradingWindowStart ? `${config.tradingWindowStart}–${config.tradingWindowEnd} UTC` : '';
  return [window, config.tradingDays?.join(',') ?? ''].filter(Boolean).join(' ') || 'always';
}
