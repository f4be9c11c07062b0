import type { PerpsBot } from '@perps-bot/orchestration';
import { featureFlags, type AppConfig } from './config/index.js';

/** What the bot is about to do, before it does it: profile, broker, money at risk or not, the flags. */
export function startupBanner(bot: PerpsBot, config: AppConfig, env: NodeJS.ProcessEnv, storageDir: string): string {
  const session = bot.tradingCycle?.session.describe() ?? sessionText(config);
  const flags = featureFlags(env, config.enableStreaming)
    .map((f) => `${f.name}=${f.raw ?? 'true'} → ${f.effective}`)
    .join('; ');
  return [
    `perps-bot profile=${config.profile} market-data=${bot.marketDataMode}`,
    `  broker=${config.broker} ${config.dryRun ? 'DRY RUN (no orders placed)' : 'LIVE (orders are placed)'} interval=${config.updateInterval}s symbols=${config.symbols.join(',')} session=${session}`,
    `  flags: ${flags}`,
    `  data: ${storageDir}`,
  ].join('\n');
}

function sessionText(config: AppConfig): string {
  const window = config.tradingWindowStart ? `${config.tradingWindowStart}–${config.tradingWindowEnd} UTC` : '';
  return [window, config.tradingDays?.join(',') ?? ''].filter(Boolean).join(' ') || 'always';
}
