import { DeterministicBroker } from '@perps-bot/broker-adapters';
import { ManualClock, MemoryLogger, type Brokerage } from '@perps-bot/core';
import { LiveRiskManager } from '@perps-bot/risk';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BOT_CONFIG } from '../bot-config.js';
import { OrderExecutor } from '../cycle/order-executor.js';
import { TableRisk } from '../cycle/test-utils.js';
import { PerpsBot } from '../perps-bot.js';
import { ServiceRegistry } from '../service-registry.js';
import { ExecutionService } from './execution-service.js';
import { ShadowExecution } from './shadow-execution.js';

function bot(env: NodeJS.ProcessEnv): PerpsBot {
  const clock = new ManualClock('2026-03-02T14:30:00.000Z');
  return new PerpsBot({
    config: { ...DEFAULT_BOT_CONFIG, symbols: ['BTC-PERP'] },
    registry: new ServiceRegistry({
      broker: new DeterministicBroker({ clock }) as Brokerage,
      riskManager: new LiveRiskManager({ clock }),
    }),
    logger: new MemoryLogger(),
    clock,
    env,
    trading: { preTradeRisk: new TableRisk() },
  });
}

describe('PerpsBot and USE_NEW_EXECUTION_SERVICE', () => {
  it('uses the ExecutionService by default and with true, the frozen OrderExecutor with false', () => {
    expect(bot({}).trading()?.executor).toBeInstanceOf(ExecutionService);
    expect(bot({ USE_NEW_EXECUTION_SERVICE: 'true' }).trading()?.executor).toBeInstanceOf(ExecutionService);
    const legacy = bot({ USE_NEW_EXECUTION_SERVICE: 'false' }).trading()?.executor;
    expect(legacy).toBeInstanceOf(OrderExecutor);
    expect(legacy).not.toBeInstanceOf(ExecutionService);
  });

  it('shadow runs the legacy executor with the service beside it on a paper twin', () => {
    expect(bot({ USE_NEW_EXECUTION_SERVICE: 'shadow' }).trading()?.executor).toBeInstanceOf(ShadowExecution);
  });

  it('refuses a typo when the trading cycle is built', () => {
    expect(() => bot({ USE_NEW_EXECUTION_SERVICE: 'yes' }).trading()).toThrow(
      /USE_NEW_EXECUTION_SERVICE must be true, false or shadow/,
    );
  });
});
