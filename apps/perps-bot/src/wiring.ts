import { DeterministicBroker } from '@perps-bot/broker-adapters';
import { systemClock, type Clock, type Logger } from '@perps-bot/core';
import { DEFAULT_BOT_CONFIG, PerpsBot, type BotConfig } from '@perps-bot/orchestration';

export interface BuildBotOptions {
  readonly config?: Partial<BotConfig>;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly env?: NodeJS.ProcessEnv;
  readonly seed?: number;
}

/** Builds a bot on the deterministic broker: no network, no credentials (the dev profile). */
export async function buildDevBot(options: BuildBotOptions): Promise<PerpsBot> {
  const clock = options.clock ?? systemClock;
  const config: BotConfig = { ...DEFAULT_BOT_CONFIG, ...options.config };
  const bot = new PerpsBot({
    config,
    logger: options.logger,
    clock,
    env: options.env ?? process.env,
    createBroker: () => new DeterministicBroker({ seed: options.seed ?? 42, clock }),
  });
  return bot.initialize();
}
