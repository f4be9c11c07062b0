import { ManualClock, MemoryEventStore, MemoryLogger } from '@perps-bot/core';
import { MemoryOrdersStore } from '@perps-bot/stores/testing';
import { describe, expect, it } from 'vitest';
import { createBroker } from './broker-factory.js';
import { loadConfig } from './config/index.js';
import { tradingBlocks } from './trading-blocks.js';
import { buildTradingBot } from './wiring.js';

async function devBot(env: NodeJS.ProcessEnv = {}) {
  const { config } = loadConfig({ env });
  const clock = new ManualClock('2026-03-02T14:30:00.000Z');
  const logger = new MemoryLogger();
  const { broker } = await createBroker({ config, credentials: undefined, clock, logger });
  const bot = await buildTradingBot(config, {
    broker,
    eventStore: new MemoryEventStore({ jsonRoundTrip: true }),
    ordersStore: new MemoryOrdersStore(),
    logger,
    clock,
    env,
  });
  return { bot, clock };
}

describe('tradingBlocks', () => {
  it('is empty for a fresh dev bot', async () => {
    const { bot } = await devBot();
    await bot.runCycle();
    expect(tradingBlocks(bot)).toEqual([]);
  });

  it('names stale marks with their age once they pass RISK_MAX_MARK_STALENESS_SECONDS', async () => {
    const { bot, clock } = await devBot({ RISK_MAX_MARK_STALENESS_SECONDS: '60' });
    await bot.runCycle();
    clock.advance(61_000);
    const [block] = tradingBlocks(bot);
    expect(block).toEqual({ kind: 'stale_marks', message: expect.stringContaining('BTC-PERP 61 s, ETH-PERP 61 s') });
  });

  it('gives the reason of a reduce-only switch made at run time', async () => {
    const { bot } = await devBot();
    bot.riskManager.setReduceOnlyMode(true, 'daily_loss_limit');
    expect(tradingBlocks(bot).map((b) => b.message)).toEqual([
      'reduce-only: only orders that shrink a position (daily_loss_limit)',
    ]);
  });
});
