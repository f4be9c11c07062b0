import { mkdirSync } from 'node:fs';
import { DeterministicBroker } from '@perps-bot/broker-adapters';
import { Decimal, ManualClock, MemoryLogger, type Brokerage } from '@perps-bot/core';
import {
  DEFAULT_BOT_CONFIG,
  ExecutionService,
  PerpsBot,
  ServiceRegistry,
  type Decision,
  type ExecutionServiceOptions,
  type Strategy,
} from '@perps-bot/orchestration';
import { LiveRiskManager } from '@perps-bot/risk';
import { resolveStoragePaths, SqliteEventStore } from '@perps-bot/stores';
import type { Runner } from '../kinds/kind.js';
import { runExecutionCycle } from '../kinds/execution/run-cycle.js';
import type { ExecutionScenario } from '../kinds/execution/scenario.js';

// The run behind the committed imported execution example (src/scenarios/imported/execution/): an in-process
// bot trading on the deterministic paper broker with USE_NEW_EXECUTION_SERVICE=shadow, its candidate broken on
// purpose through the shadow's candidate seam. src/importer/import-execution-e2e.test.ts repeats it.

/** Divergent on purpose (a test seam, not real code): the candidate sizes every order on twice the notional. */
export const doublesNotional = (options: ExecutionServiceOptions) => {
  const service = new ExecutionService(options);
  return {
    execute: (r: Parameters<ExecutionService['execute']>[0]) =>
      service.execute({
        ...r,
        decision: {
          ...r.decision,
          ...(r.decision.targetNotional ? { targetNotional: r.decision.targetNotional.times(2) } : {}),
        },
      }),
  };
};

/** Buys 2,500 USD of BTC when flat, closes when holding: the doubled candidate differs on the buys only. */
const buyThenClose: Strategy = {
  decide: ({ position }): Decision =>
    position
      ? { action: 'CLOSE', reason: 'e2e: close' }
      : { action: 'BUY', reason: 'e2e: open', targetNotional: new Decimal(2500) },
};

/**
 * Runs the bot for `cycles` trading cycles (marks, then trading) in <dataDir>/perps_bot/dev and waits for the
 * shadow's comparisons; the experiment records are in that profile's events.sqlite.
 */
export async function shadowTradingRun(dataDir: string, cycles: number): Promise<void> {
  const clock = new ManualClock('2026-03-02T14:30:00.000Z');
  const paths = resolveStoragePaths({ runtimeRoot: dataDir, profile: 'dev' });
  mkdirSync(paths.storageDir, { recursive: true });
  const eventStore = new SqliteEventStore({ file: paths.eventsFile, clock });
  const riskManager = new LiveRiskManager({ clock });
  const bot = new PerpsBot({
    config: { ...DEFAULT_BOT_CONFIG, symbols: ['BTC-PERP'], shortMa: 1, longMa: 2, dryRun: false },
    registry: new ServiceRegistry({
      broker: new DeterministicBroker({ clock, seed: 11 }) as unknown as Brokerage,
      riskManager,
      eventStore,
    }),
    logger: new MemoryLogger(),
    clock,
    env: { USE_NEW_EXECUTION_SERVICE: 'shadow' },
    trading: {
      preTradeRisk: riskManager,
      strategy: buyThenClose,
      executionShadow: { candidate: doublesNotional },
    },
  });
  await bot.initialize();
  for (let i = 0; i < cycles; i++) {
    clock.advance(1000);
    await bot.runCycle();
  }
  await bot.shutdown();
  eventStore.close();
}

/** The same divergence as a golden-master candidate: the ExecutionService fed twice the notional. */
export const doublingRunner: Runner<ExecutionScenario> = {
  name: 'doubling-service',
  description: 'ExecutionService sizing on twice the target notional (a deliberate break)',
  run: (scenario) =>
    runExecutionCycle(scenario, 'service', {
      patch: (trading) => {
        const executor = trading.executor;
        const execute = executor.execute.bind(executor);
        executor.execute = (r) =>
          execute({
            ...r,
            decision: {
              ...r.decision,
              ...(r.decision.targetNotional ? { targetNotional: r.decision.targetNotional.times(2) } : {}),
            },
          });
      },
    }),
};
