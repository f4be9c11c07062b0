import {
  Decimal,
  ManualClock,
  MemoryEventStore,
  MemoryLogger,
  type Brokerage,
  type Clock,
  type MarkUpdateSink,
} from '@perps-bot/core';
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

/** Holds an answer until it is released (fast-check's scheduler, or a replay of one of its orderings). */
export type AnswerGate = <T>(label: string, answer: () => Promise<T>) => Promise<T>;

/**
 * Runs the cycles under a gate: every broker answer is held until the gate releases it, and something runs
 * beside them on the same mark windows (a stream of marks). Adds a `timeline` channel: each release, each
 * pre-trade check and each mark appended or written to risk, in the order they happened.
 */
export interface CycleInterleaving {
  readonly gate: AnswerGate;
  /** Started once the cycle is built, before its first run; the returned function stops it after the last. */
  beside(ctx: {
    readonly markWindows: MarkWindows;
    readonly riskManager: MarkUpdateSink;
    readonly clock: Clock;
    readonly gate: AnswerGate;
  }): () => Promise<void>;
}

export interface RunCycleOptions {
  /** Called once the cycle is built, before it runs: lets a test break a candidate on purpose. */
  readonly patch?: (trading: TradingCycle, ctx: { readonly markWindows: MarkWindows }) => void;
  /** In shadow mode: the shadow's settings beyond the silent publish and record (ignore rules, ramp-up, a record sink). */
  readonly shadow?: ShadowExecutionOptions;
  readonly interleave?: CycleInterleaving;
}

const GATED = ['listBalances', 'listPositions', 'getProduct', 'placeOrder', 'getOrder', 'getOrderByClientId'] as const;

/** The broker with every answer behind the gate, labelled by method, symbol and call number ("placeOrder BTC-PERP #0"). */
function gatedBroker(broker: ScriptedExecutionBroker, gate: AnswerGate, released: (label: string) => void): object {
  const calls = new Map<string, number>();
  const label = (method: string, args: unknown[]): string => {
    const first = args[0];
    const symbol =
      typeof first === 'string' ? first : ((first as { symbol?: unknown } | undefined)?.symbol?.toString() ?? '');
    const key = `${method}${symbol ? ` ${symbol}` : ''}`;
    const n = calls.get(key) ?? 0;
    calls.set(key, n + 1);
    return `${key} #${n}`;
  };
  const hold =
    <A extends unknown[], T>(method: string, fn: (...args: A) => Promise<T>) =>
    (...args: A): Promise<T> => {
      const name = label(method, args);
      // The call reaches the scripted broker when it is released: its answer reflects that moment.
      return gate(name, () => {
        released(name);
        return fn(...args);
      });
    };
  const out: Record<string, unknown> = {};
  for (const method of GATED) {
    const fn = broker[method].bind(broker) as (...args: unknown[]) => Promise<unknown>;
    out[method] = hold(method, fn);
  }
  const close = broker.closePosition;
  out.closePosition = close ? hold('closePosition', close) : undefined;
  return out;
}
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
  options: RunCycleOptions = {},
): Promise<Recording> {
  const { patch, shadow = {}, interleave } = options;
  const recorder = new Recorder(interleave ? [...EXECUTION_CHANNELS, 'timeline'] : EXECUTION_CHANNELS);
  const clock = new ManualClock(SCENARIO_START);
  const scripted = new ScriptedExecutionBroker(scenario, clock);
  const broker = recorder.proxy(
    interleave
      ? gatedBroker(scripted, interleave.gate, (label) => recorder.record('timeline', 'released', { label }))
      : scripted,
    { name: 'broker', channel: 'brokerCalls' },
  );
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
  const noEvents = scenario.noEventStore === true;
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
    eventStore: noEvents ? undefined : eventStore,
    ordersStore,
    orderStats,
    logger,
    clock,
  };
  const preTrade = new ScriptedPreTradeRisk(scenario.preTrade);
  const trading = new TradingCycle(host, {
    preTradeRisk: interleave
      ? recorder.proxy(preTrade, { name: 'risk', channel: 'timeline', methods: ['preTradeCheck'] })
      : preTrade,
    strategy: scriptedStrategy(scenario, () => cycle),
    ...(scenario.defaultClientIds ? {} : { newClientOrderId: () => `cid-${++clientIds}` }),
    execution,
    // The report keeps every mismatch (src/kinds/execution/shadow.test.ts reads it); published nowhere else here.
    // Its experiment records too: they are the shadow's own output, not an effect of the code under test.
    ...(execution === 'shadow' ? { executionShadow: { publish: () => {}, record: () => {}, ...shadow } } : {}),
  });
  patch?.(trading, { markWindows });
  let stopBeside: (() => Promise<void>) | undefined;
  if (interleave) {
    markWindows.observe((e) => recorder.record('timeline', 'windows.append', { symbol: e.symbol, mark: e.mark }));
    stopBeside = interleave.beside({
      markWindows,
      riskManager: {
        recordMarkUpdate: (...args) => void recorder.record('timeline', 'risk.recordMarkUpdate', { args }),
      },
      clock,
      gate: interleave.gate,
    });
  }
  const reports: { decisions: unknown; outcomes: unknown; errors: unknown }[] = [];
  type CycleReport = Awaited<ReturnType<TradingCycle['run']>>;
  const summary = (report: CycleReport) => ({
    decisions: Object.fromEntries(report.decisions),
    outcomes: Object.fromEntries(report.outcomes),
    errors: Object.fromEntries(report.errors),
  });
  // A held answer (heldForNextCycle) makes two cycles overlap: the next one starts while the held cycle waits,
  // runs until it can go no further without that answer, and only then does the answer arrive.
  let held: { run: Promise<CycleReport>; release: () => void } | undefined;
  let onHeld: ((release: () => void) => void) | undefined;
  scripted.onHeld = (release) => onHeld?.(release);
  for (; cycle < scenario.cycles; cycle++) {
    recorder.setPhase(cycle);
    if (cycle > 0) clock.advance(scenario.stepMs);
    const hold = new Promise<() => void>((resolve) => (onHeld = resolve));
    const run = trading.run();
    if (held) {
      // Every collaborator answers through promises alone, so one turn of the event loop lets the new cycle do
      // all it can (up to the executor's lock the held cycle holds): the order is fixed, not timed.
      await new Promise((resolve) => setImmediate(resolve));
      held.release();
      reports.push(summary(await held.run));
      held = undefined;
    }
    const release = await Promise.race([run.then(() => undefined), hold]);
    if (release) held = { run, release };
    else reports.push(summary(await run));
  }
  if (held) {
    held.release();
    reports.push(summary(await held.run));
  }
  await stopBeside?.();
  // The shadow's comparisons run after each control outcome: done before the run's report and records are read.
  await trading.settled();
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
