import { ManualClock, MemoryEventStore, MemoryLogger, type Brokerage } from '@perps-bot/core';
import { LiveRiskManager } from '@perps-bot/risk';
import { MemoryOrdersStore } from '@perps-bot/stores/testing';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BOT_CONFIG } from '../bot-config.js';
import { PerpsBot } from '../perps-bot.js';
import { ServiceRegistry } from '../service-registry.js';
import { UNKNOWN_STATE_REASON } from './trading-cycle.js';
import { ScriptedBroker } from './test-utils.js';

const MONDAY = '2026-03-02T14:30:00.000Z';
// short 2 / long 3: a bullish crossover on the fourth cycle (see trading-cycle.test.ts).
const CROSS_UP = ['50000', '50000', '50000', '50500', '51000', '51500'];

async function liveBot(broker: Brokerage, unknownStateCycles?: number) {
  const clock = new ManualClock(MONDAY);
  const logger = new MemoryLogger();
  const eventStore = new MemoryEventStore({ clock, jsonRoundTrip: true });
  const riskManager = new LiveRiskManager({ clock, eventStore });
  const bot = new PerpsBot({
    config: { ...DEFAULT_BOT_CONFIG, symbols: ['BTC-PERP'], shortMa: 2, longMa: 3, dryRun: false },
    registry: new ServiceRegistry({ broker, riskManager, eventStore, ordersStore: new MemoryOrdersStore() }),
    logger,
    clock,
    env: {},
    trading: { preTradeRisk: riskManager, ...(unknownStateCycles === undefined ? {} : { unknownStateCycles }) },
  });
  await bot.initialize();
  const cycles = async (n: number) => {
    for (let i = 0; i < n; i++) {
      await bot.runCycle();
      clock.advance(1000);
    }
  };
  return { bot, logger, eventStore, riskManager, cycles };
}

/** Risk events are metrics with an event_type (risk-events.ts). */
const riskEvents = (store: MemoryEventStore) =>
  store
    .ofType('metric')
    .map((e) => e.payload)
    .filter((p) => p.event_type === 'reduce_only_mode_changed');

/** The scripted broker whose positions answer fails while `down` is true. */
function brokerWithPositionsOutage() {
  const broker = new ScriptedBroker({ 'BTC-PERP': CROSS_UP });
  const state = { down: true };
  const real = broker.listPositions.bind(broker);
  broker.listPositions = async () => {
    if (state.down) throw new Error('HTTP 503 on /cfm/positions');
    return real();
  };
  return { broker, state };
}

describe('positions and balances unknown → no new exposure', () => {
  it('places no order on a crossover while positions cannot be read', async () => {
    const { broker } = brokerWithPositionsOutage();
    const t = await liveBot(broker);
    await t.cycles(6);
    expect(await broker.listOrders()).toEqual([]);
    expect(t.bot.orderStats.attempted).toBe(0);
    expect(t.bot.tradingCycle?.lastDecisions.get('BTC-PERP')?.reason).toBe('Account state unknown');
  });

  it('switches reduce-only after N cycles in a row, recorded as a risk event, and leaves it when reads succeed', async () => {
    const { broker, state } = brokerWithPositionsOutage();
    const t = await liveBot(broker, 2);
    await t.cycles(1);
    expect(t.riskManager.reduceOnlyMode).toBe(false);
    await t.cycles(1);
    expect([t.riskManager.reduceOnlyMode, t.riskManager.reduceOnlyReason]).toEqual([true, UNKNOWN_STATE_REASON]);
    expect(riskEvents(t.eventStore)).toMatchObject([{ enabled: true, reason: UNKNOWN_STATE_REASON }]);
    state.down = false;
    await t.cycles(1);
    expect(t.riskManager.reduceOnlyMode).toBe(false);
    expect(riskEvents(t.eventStore)).toMatchObject([{ enabled: true }, { enabled: false }]);
    expect(t.bot.tradingCycle?.unknownStreak).toBe(0);
  });

  it('does not lift a reduce-only that another reason switched on', async () => {
    const { broker, state } = brokerWithPositionsOutage();
    const t = await liveBot(broker, 1);
    t.riskManager.setReduceOnlyMode(true, 'daily_loss_limit');
    await t.cycles(2);
    state.down = false;
    await t.cycles(1);
    expect([t.riskManager.reduceOnlyMode, t.riskManager.reduceOnlyReason]).toEqual([true, 'daily_loss_limit']);
  });

  it('defaults to 3 cycles', async () => {
    const { broker } = brokerWithPositionsOutage();
    const t = await liveBot(broker);
    await t.cycles(2);
    expect(t.riskManager.reduceOnlyMode).toBe(false);
    await t.cycles(1);
    expect(t.riskManager.reduceOnlyReason).toBe(UNKNOWN_STATE_REASON);
  });
});
