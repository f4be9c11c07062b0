import { Decimal, ManualClock, MemoryEventStore, MemoryLogger, type Brokerage } from '@perps-bot/core';
import { MarkWindows } from '@perps-bot/market-data';
import {
  DEFAULT_BOT_CONFIG,
  emptyOrderCounters,
  TradingCycle,
  hold,
  type CycleHost,
  type Decision,
  type ExecutionMode,
  type ShadowExecutionOptions,
  type Strategy,
} from '@perps-bot/orchestration';
import type { Recording } from '../kind.js';
import { Recorder } from '../../recorder/recorder.js';
import type { ExecutionScenario } from './scenario.js';
import { ScriptedExecutionBroker } from './scripted-execution-broker.js';
import { ScriptedCycleRisk, ScriptedPreTradeRisk, storeFailure } from './scripted-execution-risk.js';
import { ScriptedOrdersStore } from './scripted-orders-store.js';

export const EXECUTION_CHANNELS = ['brokerCalls', 'effects'] as const;
const SCENARIO_START = '2026-03-02T14:30:00.000Z';

/** The scripted strategy: each symbol's decision for the cycle, the last one repeating. */
function scriptedStrategy(scenario: ExecutionScenario, cycle: () => number): Strategy {
  return {
    decide: ({ symbol }): Decision => {
      const script = scenario.decisions[symbol] ?? [];
      const d = script[Math.min(cycle(), script.length - 1)];
      if (!d) return hold('scripted: nothing to do');
      return {
        action: d.action,
        reason: d.reason ?? `scripted ${d.action}`,
        ...(d.targetNotional === undefined ? {} : { targetNotional: new Decimal(d.targetNotional) }),
        ...(d.reduceOnly === undefined ? {} : { reduceOnly: d.reduceOnly }),
        ...(d.timeInForce === undefined ? {} : { timeInForce: d.timeInForce }),
      };
    },
  };
}

/**
 * Runs a scenario through TradingCycle.run() with the given executor, every collaborator behind a recording
 * proxy: broker → `brokerCalls` (every order request with its arguments and answer); event-store writes,
 * orders-store writes, reduce-only switches and logs → `effects`. Final state: orders, intents, stats, the
 * cycle reports. The mark windows are pre-seeded (no quotes); the clock is the scenario's manual clock.
 */
export async function runExecutionCycle(
  scenario: ExecutionScenario,
  execution: ExecutionMode,
  /** Called once the cycle is built, before it runs: lets a test break a candidate on purpose. */
  patch?: (trading: TradingCycle) => void,
  /** In shadow mode: the shadow's options beyond the silent publish (its ignore rules). */
  shadow: ShadowExecutionOptions = {},
): Promise<Recording> {
  const recorder = new Recorder(EXECUTION_CHANNELS);
  const clock = new ManualClock(SCENARIO_START);
  const broker = recorder.proxy(new ScriptedExecutionBroker(scenario, clock), {
    name: 'broker',
    channel: 'brokerCalls',
  });
  const risk = new ScriptedCycleRisk(scenario.cycleRisk);
  const riskProxy = recorder.proxy(risk, {
    name: 'risk',
    channel: 'effects',
    methods: ['setReduceOnlyMode', 'checkLiquidationBuffers'],
  });
  const logger = recorder.proxy(new MemoryLogger(), {
    name: 'log',
    channel: 'effects',
    methods: ['debug', 'info', 'warn', 'error'],
  });
  const events = new MemoryEventStore({ clock });
  if (scenario.eventStoreFails)
    events.appendEvent = () => {
      throw storeFailure('appendEvent');
    };
  const eventStore = recorder.proxy(events, { name: 'eventStore', channel: 'effects', methods: ['appendEvent'] });
  const orders = new ScriptedOrdersStore(scenario.ordersStoreFails);
  const ordersStore = recorder.proxy(orders, {
    name: 'ordersStore',
    channel: 'effects',
    methods: ['upsert', 'recordIntent', 'updateIntent'],
  });
  const markWindows = MarkWindows.forAverages(
    2,
    3,
    Object.entries(scenario.marks).map(([s, m]) => [s, m.map((x) => new Decimal(x))] as const),
  );
  const orderStats = emptyOrderCounters();
  let cycle = 0;
  let clientIds = 0;
  const host: CycleHost = {
    botId: 'perps-bot',
    config: {
      ...DEFAULT_BOT_CONFIG,
      symbols: scenario.symbols,
      shortMa: 2,
      longMa: 3,
      dryRun: scenario.dryRun,
      reduceOnlyMode: scenario.reduceOnlyMode,
      timeInForce: scenario.timeInForce,
    },
    symbols: scenario.symbols,
    markWindows,
    broker: broker as unknown as Brokerage,
    riskManager: riskProxy,
    eventStore,
    ordersStore,
    orderStats,
    logger,
    clock,
  };
  const trading = new TradingCycle(host, {
    preTradeRisk: new ScriptedPreTradeRisk(scenario.preTrade),
    strategy: scriptedStrategy(scenario, () => cycle),
    newClientOrderId: () => `cid-${++clientIds}`,
    execution,
    // The report keeps every mismatch (src/kinds/execution/shadow.test.ts reads it); published nowhere else here.
    ...(execution === 'shadow' ? { executionShadow: { publish: () => {}, ...shadow } } : {}),
  });
  patch?.(trading);
  const reports = [];
  for (; cycle < scenario.cycles; cycle++) {
    recorder.setPhase(cycle);
    if (cycle > 0) clock.advance(scenario.stepMs);
    const report = await trading.run();
    reports.push({
      decisions: Object.fromEntries(report.decisions),
      outcomes: Object.fromEntries(report.outcomes),
      errors: Object.fromEntries(report.errors),
    });
  }
  const s = recorder.scrubber;
  return {
    channels: recorder.channels(),
    final: {
      orders: s.scrub([...orders.orders.values()]),
      intents: s.scrub([...orders.intents.values()]),
      stats: s.scrub({ ...orderStats }),
      reports: s.scrub(reports),
      reduceOnly: s.scrub({ mode: risk.reduceOnlyMode, reason: risk.reduceOnlyReason }),
      unresolved: trading.outcomes.unresolvedCount,
    },
  };
}
