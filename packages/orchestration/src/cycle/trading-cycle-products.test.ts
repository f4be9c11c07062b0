import { Decimal, ManualClock, MemoryEventStore, MemoryLogger, type Product } from '@perps-bot/core';
import { LiveRiskManager } from '@perps-bot/risk';
import { MemoryOrdersStore } from '@perps-bot/stores/testing';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BOT_CONFIG } from '../bot-config.js';
import { PerpsBot } from '../perps-bot.js';
import { ServiceRegistry } from '../service-registry.js';
import type { TradingOptions } from './trading-cycle.js';
import { perpProduct, ScriptedBroker, TableRisk } from './test-utils.js';

const MONDAY = '2026-03-02T14:30:00.000Z';
const CROSS_UP = ['100', '100', '100', '90', '120', '130'];

/** A bot trading BTC-PERP on scripted quotes whose products come from `product` (one call = one fetch). */
async function botWithProducts(product: (call: number) => Product, trading: Partial<TradingOptions> = {}) {
  const clock = new ManualClock(MONDAY);
  const broker = new ScriptedBroker({ 'BTC-PERP': CROSS_UP });
  const asked: string[] = [];
  broker.getProduct = async (symbol: string) => {
    asked.push(symbol);
    return product(asked.length);
  };
  const logger = new MemoryLogger();
  const eventStore = new MemoryEventStore({ clock, jsonRoundTrip: true });
  const bot = new PerpsBot({
    config: { ...DEFAULT_BOT_CONFIG, symbols: ['BTC-PERP'], shortMa: 2, longMa: 3, dryRun: true },
    registry: new ServiceRegistry({
      broker,
      riskManager: new LiveRiskManager({ clock }),
      eventStore,
      ordersStore: new MemoryOrdersStore(),
    }),
    logger,
    clock,
    env: {},
    trading: { preTradeRisk: new TableRisk(), newClientOrderId: () => 'client-1', ...trading },
  });
  await bot.initialize();
  const cycles = async (n: number, stepMs = 1000) => {
    for (let i = 0; i < n; i++) {
      await bot.runCycle();
      clock.advance(stepMs);
    }
  };
  return { bot, logger, asked, cycles };
}

describe('TradingCycle: products are checked and refreshed', () => {
  it('never decides on a product with a contract size of 5e-324: the symbol errors naming the field', async () => {
    const t = await botWithProducts(() => perpProduct('BTC-PERP', { contractSize: new Decimal('5e-324') }));
    await t.cycles(5);
    expect(t.bot.tradingCycle?.lastDecisions.get('BTC-PERP')).toBeUndefined();
    expect(t.bot.tradingCycle?.lastReport?.errors.get('BTC-PERP')).toMatch(/^Product BTC-PERP refused: contractSize/);
  });

  it('asks for the product again once productRefreshMs has passed', async () => {
    const t = await botWithProducts(() => perpProduct('BTC-PERP'), { productRefreshMs: 60_000 });
    await t.cycles(3, 1000);
    expect(t.asked).toHaveLength(1);
    await t.cycles(2, 60_000);
    expect(t.asked.length).toBeGreaterThanOrEqual(2);
  });
});
