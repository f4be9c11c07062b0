import type { Brokerage, Clock, EventStore, Logger, MarketDataStreamSource, OrdersStore } from '@perps-bot/core';
import { PerpsBot, Reconciler, ServiceRegistry, type BotConfig, type PerpsBotOptions } from '@perps-bot/orchestration';
import type { AppConfig } from './config/index.js';
import { createRiskManager, type RiskServicesInput } from './risk-factory.js';

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
    enableStreaming: config.enableStreaming,
    streamLevel: config.streamLevel,
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
  /** risk.sqlite's persistence and the state it holds (see createRiskManager). */
  readonly riskState?: RiskServicesInput['riskState'];
  /**
   * `broker` is the dry run's paper broker (createDryRunBroker): the cycle then places its orders there, so a
   * dry run fills, holds and closes positions on paper instead of only recording what it would place.
   */
  readonly paperDryRun?: boolean;
  /** The StreamingService's reconnect backoff (the bot's one reconnect loop); a soak test shortens it. */
  readonly streaming?: PerpsBotOptions['streaming'];
}

/**
 * The full bot of `perps-bot run`: the profile's broker, the LiveRiskManager (the one instance the mark paths
 * record into, the cycle's runtime gates read and every order's pre-trade check asks), stores and the cycle.
 */
export async function buildTradingBot(config: AppConfig, deps: TradingBotDeps): Promise<PerpsBot> {
  const riskManager = createRiskManager(config, {
    clock: deps.clock,
    logger: deps.logger,
    env: deps.env,
    eventStore: deps.eventStore,
    riskState: deps.riskState,
  });
  const bot = new PerpsBot({
    config: { ...toBotConfig(config, deps.batchesQuotes ?? false), ...(deps.paperDryRun ? { dryRun: false } : {}) },
    registry: new ServiceRegistry({
      broker: deps.broker,
      riskManager,
      eventStore: deps.eventStore,
      ordersStore: deps.ordersStore,
    }),
    logger: deps.logger,
    clock: deps.clock,
    env: deps.env,
    ...(deps.streamSource ? { streamSource: deps.streamSource } : {}),
    ...(deps.streaming ? { streaming: deps.streaming } : {}),
    trading: {
      preTradeRisk: riskManager,
      session: { start: config.tradingWindowStart, end: config.tradingWindowEnd, days: config.tradingDays },
      positionFraction: config.positionFraction,
      productRefreshMs: config.productRefreshMinutes * 60_000,
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
