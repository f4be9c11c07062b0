import { DeterministicBroker } from '@perps-bot/broker-adapters';
import { systemClock, type Brokerage, type Clock, type EventStore, type Logger, type MarketDataStreamSource, type OrdersStore } from '@perps-bot/core';
import { DEFAULT_BOT_CONFIG, PerpsBot, Reconciler, ServiceRegistry, type BotConfig } from '@perps-bot/orchestration';
import type { AppConfig } from './config/index.js';
import { createRiskManager } from './risk-factory.js';

export interface BuildBotOptions {
  readonly config?: Partial<BotConfig>;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly env?: NodeJS.ProcessEnv;
  readonly seed?: number;
}

/** Builds a bot on the deterministic broker that only updates marks: no network, no stores, no trading. */
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

/**
 * The orchestration's view of the app configuration. `brokerBatchesQuotes`: whether the chosen broker has a
 * real batch quote endpoint (BrokerSetup.batchesQuotes); `quoteBatching` only turns batching on where it does.
 */
export function toBotConfig(config: AppConfig, brokerBatchesQuotes = false): BotConfig {
  return {
    profile: config.profile,
    symbols: config.symbols,
    shortMa: config.shortMa,
    longMa: config.longMa,
    dryRun: config.dryRun,
    updateInterval: config.updateInterval,
    targetLeverage: config.targetLeverage,
    trailingStopPct: config.trailingStopPct,
    enableShorts: config.enableShorts,
    maxLeverage: config.maxLeverage,
    reduceOnlyMode: config.reduceOnlyMode,
    timeInForce: config.timeInForce,
    quoteConcurrency: config.quoteConcurrency,
    quoteBatching: config.quoteBatching && brokerBatchesQuotes,
    perpsEnableStreaming: config.enableStreaming,
    perpsStreamLevel: config.streamLevel,
  };
}

export interface TradingBotDeps {
  readonly broker: Brokerage;
  /** Streamed marks (Coinbase's WebSocket); without one, streaming only starts if the broker itself streams. */
  readonly streamSource?: MarketDataStreamSource | undefined;
  readonly eventStore: EventStore;
  readonly ordersStore: OrdersStore;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Read for the feature flags and the RISK_* variables. */
  readonly env: NodeJS.ProcessEnv;
  /** The broker answers many quotes in one request (BrokerSetup.batchesQuotes); absent = no. */
  readonly batchesQuotes?: boolean;
}

/**
 * The full bot of `perps-bot run`: the profile's broker, the LiveRiskManager (the one instance the mark paths
 * record into, the cycle's runtime gates read and every order's pre-trade check asks), stores and the cycle.
 */
export async function buildTradingBot(config: AppConfig, deps: TradingBotDeps): Promise<PerpsBot> {
  const riskManager = createRiskManager(config, { clock: deps.clock, logger: deps.logger, env: deps.env, eventStore: deps.eventStore });
  const bot = new PerpsBot({
    config: toBotConfig(config, deps.batchesQuotes ?? false),
    registry: new ServiceRegistry({ broker: deps.broker, riskManager, eventStore: deps.eventStore, ordersStore: deps.ordersStore }),
    logger: deps.logger,
    clock: deps.clock,
    env: deps.env,
    ...(deps.streamSource ? { streamSource: deps.streamSource } : {}),
    trading: {
      preTradeRisk: riskManager,
      session: { start: config.tradingWindowStart, end: config.tradingWindowEnd, days: config.tradingDays },
      positionFraction: config.positionFraction,
      unknownStateCycles: config.unknownStateCycles,
    },
  });
  return bot.initialize();
}

/**
 * Reconciliation with the exchange for a live bot (none in a dry run, as in the reference): it shares the
 * cycle's order outcomes and position book, so what it finds blocks or unblocks the same symbols.
 */
export function createReconciler(bot: PerpsBot, config: AppConfig): Reconciler | undefined {
  const cycle = bot.trading();
  if (config.dryRun || !cycle) return undefined;
  return new Reconciler({
    botId: bot.botId,
    broker: bot.broker,
    outcomes: cycle.outcomes,
    positions: cycle.positions,
    ordersStore: bot.ordersStore,
    eventStore: bot.eventStore,
    risk: bot.riskManager,
    logger: bot.logger,
    ordersIntervalMs: config.reconcileOrdersInterval * 1000,
    positionsIntervalMs: config.reconcilePositionsInterval * 1000,
  });
}
