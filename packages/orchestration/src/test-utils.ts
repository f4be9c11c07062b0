import { DeterministicBroker } from '@perps-bot/broker-adapters';
import { ManualClock, MemoryLogger, type QuoteSource, type Brokerage } from '@perps-bot/core';
import { LiveRiskManager } from '@perps-bot/risk';
import { DEFAULT_BOT_CONFIG, type BotConfig } from './bot-config.js';
import { PerpsBot } from './perps-bot.js';
import { ServiceRegistry } from './service-registry.js';

interface BotFixture {
  bot: PerpsBot;
  logger: MemoryLogger;
  clock: ManualClock;
}

/** A bot on a given quote source (or the deterministic broker), initialised, with a recording logger. */
export async function makeBot(
  options: { config?: Partial<BotConfig>; broker?: QuoteSource; env?: NodeJS.ProcessEnv } = {},
): Promise<BotFixture> {
  const logger = new MemoryLogger();
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');
  const broker = (options.broker ?? new DeterministicBroker({ seed: 7, clock })) as Brokerage;
  const bot = new PerpsBot({
    config: { ...DEFAULT_BOT_CONFIG, symbols: ['BTC-USD'], ...options.config },
    registry: new ServiceRegistry({ broker, riskManager: new LiveRiskManager({ clock }) }),
    logger,
    clock,
    ...(options.env ? { env: options.env } : {}),
  });
  await bot.initialize();
  return { bot, logger, clock };
}
