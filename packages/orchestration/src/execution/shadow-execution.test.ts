import { DeterministicBroker } from '@perps-bot/broker-adapters';
import { Decimal, ManualClock, MemoryLogger, type Brokerage } from '@perps-bot/core';
import { LiveRiskManager } from '@perps-bot/risk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_BOT_CONFIG } from '../bot-config.js';
import type { Decision } from '../cycle/decision.js';
import type { ExecutionRequest, OrderExecutorOptions } from '../cycle/order-executor.js';
import { emptyOrderCounters } from '../cycle/order-stats.js';
import { TableRisk, perpProduct } from '../cycle/test-utils.js';
import { PerpsBot } from '../perps-bot.js';
import { ServiceRegistry } from '../service-registry.js';
import { ExecutionService, type ExecutionServiceOptions } from './execution-service.js';
import { ShadowExecution, type ShadowExecutionOptions } from './shadow-execution.js';

const buy: Decision = { action: 'BUY', reason: 'bullish MA crossover', targetNotional: new Decimal(10000) };

const request: ExecutionRequest = {
  symbol: 'BTC-PERP',
  decision: buy,
  mark: new Decimal(50000),
  product: perpProduct(),
  position: undefined,
  equity: new Decimal(100000),
  positions: [],
};

/** A candidate held at a gate before it runs: the real ExecutionService once released, or never. */
function gatedCandidate() {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  const build = (options: ExecutionServiceOptions) => {
    const service = new ExecutionService(options);
    return { execute: async (r: ExecutionRequest) => (await gate, service.execute(r)) };
  };
  return { build, open: () => open() };
}

function shadowOver(shadow: ShadowExecutionOptions) {
  const clock = new ManualClock('2026-03-02T14:30:00.000Z');
  const logger = new MemoryLogger();
  let n = 0;
  const options: OrderExecutorOptions = {
    botId: 'perps_bot',
    broker: new DeterministicBroker({ seed: 1, clock }),
    risk: new TableRisk(),
    logger,
    eventStore: undefined,
    ordersStore: undefined,
    stats: emptyOrderCounters(),
    dryRun: false,
    reduceOnlyMode: false,
    timeInForce: 'GTC',
    newClientOrderId: () => `client-${++n}`,
    clock,
  };
  return Object.assign(new ShadowExecution(options, { publish: () => {}, ...shadow }), { logger });
}

const unresolved = Symbol('still waiting');
const within = <T>(pending: Promise<T>, ms = 50) =>
  Promise.race([pending, new Promise<typeof unresolved>((resolve) => setTimeout(() => resolve(unresolved), ms))]);

afterEach(() => {
  vi.useRealTimers();
});

describe('ShadowExecution and the candidate beside the control', () => {
  it("returns the control's outcome without waiting for the candidate; settled() waits for the comparison", async () => {
    const candidate = gatedCandidate();
    const shadow = shadowOver({ candidate: candidate.build });
    const outcome = await within(shadow.execute(request));
    expect(outcome).not.toBe(unresolved);
    expect(outcome).toMatchObject({ status: 'placed' });
    expect(shadow.report()).toMatchObject({ runs: 0, paperOrders: 0 });
    const settling = shadow.settled();
    expect(await within(settling)).toBe(unresolved);
    candidate.open();
    await settling;
    expect(shadow.report()).toMatchObject({ runs: 1, matched: 1, mismatched: 0, paperOrders: 1 });
  });

  it('a comparison that fails is logged, not thrown into the cycle', async () => {
    const shadow = shadowOver({
      record: () => {
        throw new Error('sink closed');
      },
    });
    expect(await shadow.execute(request)).toMatchObject({ status: 'placed' });
    await shadow.settled();
    expect(shadow.logger.records.map((e) => e.message)).toContain(
      'Execution shadow comparison for BTC-PERP failed: sink closed',
    );
  });
});

describe('PerpsBot.shutdown and the execution shadow', () => {
  function shadowBot(candidate: ShadowExecutionOptions['candidate']) {
    const clock = new ManualClock('2026-03-02T14:30:00.000Z');
    const logger = new MemoryLogger();
    const bot = new PerpsBot({
      config: { ...DEFAULT_BOT_CONFIG, symbols: ['BTC-PERP'] },
      registry: new ServiceRegistry({
        broker: new DeterministicBroker({ clock }) as Brokerage,
        riskManager: new LiveRiskManager({ clock }),
      }),
      logger,
      clock,
      env: { USE_NEW_EXECUTION_SERVICE: 'shadow' },
      trading: {
        preTradeRisk: new TableRisk(),
        executionShadow: { publish: () => {}, ...(candidate ? { candidate } : {}) },
      },
    });
    const executor = bot.trading()?.executor;
    if (!(executor instanceof ShadowExecution)) throw new Error('not in shadow mode');
    return { bot, logger, shadow: executor };
  }

  it('waits for the comparisons still running, so they are counted before the stores close', async () => {
    const candidate = gatedCandidate();
    const { bot, shadow } = shadowBot(candidate.build);
    await shadow.execute(request);
    const stopping = bot.shutdown();
    expect(await within(stopping)).toBe(unresolved);
    candidate.open();
    await stopping;
    expect(shadow.report()).toMatchObject({ runs: 1, matched: 1 });
  });

  it('does not wait for a candidate that never finishes: shutdown ends 2 s later and says so', async () => {
    vi.useFakeTimers();
    const { bot, logger } = shadowBot(gatedCandidate().build);
    await bot.trading()?.executor.execute(request);
    const stopping = bot.shutdown();
    await vi.advanceTimersByTimeAsync(2_000);
    await stopping;
    expect(logger.records.map((e) => `${e.level} ${e.message}`)).toContain(
      'warn Execution shadow comparisons still running 2000 ms into shutdown: not recorded',
    );
  });
});
