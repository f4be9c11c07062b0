import { describeError, systemClock, type Clock, type Logger } from '@perps-bot/core';
import { BOT_ID, type PerpsBot, type Reconciler } from '@perps-bot/orchestration';
import { resolveStoragePaths, SqliteEventStore, SqliteOrdersStore } from '@perps-bot/stores';
import { startupBanner } from './banner.js';
import { createBroker } from './broker-factory.js';
import { preflight, type LoadedConfig } from './config/index.js';
import { healthSnapshot, writeHealthFile, type HealthState } from './health.js';
import { createPinoLogger, toLoggerPort } from './logger.js';
import { formatMarks, formatShadow } from './report.js';
import { riskConfigFor } from './risk-factory.js';
import { runLoop } from './run-loop.js';
import { buildTradingBot, createReconciler } from './wiring.js';

export interface RunCommandInput {
  readonly loaded: LoadedConfig;
  readonly singleCycle: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream;
  readonly logger?: Logger;
  readonly clock?: Clock;
}

type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * `perps-bot run`: preflight, broker, stores, bot, then cycles until a single cycle is done or a signal
 * arrives. Shutdown always runs: the bot (and its streams) stop, a "shutdown" event is appended, health.json
 * says "stopped", and both stores are closed (their WAL checkpointed). A second signal exits at once; every
 * event already appended is committed, so even that loses nothing recorded.
 */
export async function runCommand(input: RunCommandInput): Promise<number> {
  const { config } = input.loaded;
  const { credentials } = preflight(config, { cwd: input.cwd });
  // The RISK_* variables are validated before anything is opened: a bad one is a ConfigError (exit 2).
  riskConfigFor(config, input.env);
  const logger = input.logger ?? toLoggerPort(createPinoLogger({ level: config.logLevel }));
  const clock = input.clock ?? systemClock;
  const { broker, streamSource, batchesQuotes } = await createBroker({ config, credentials, clock, logger });
  const paths = resolveStoragePaths({ runtimeRoot: config.dataDir, eventStoreRoot: config.eventStoreRoot, profile: config.profile, cwd: input.cwd });
  const eventStore = new SqliteEventStore({ file: paths.eventsFile, clock });
  let ordersStore: SqliteOrdersStore | undefined;
  let bot: PerpsBot | undefined;
  let reconciler: Reconciler | undefined;
  const state: HealthState = { status: 'starting', cycleCount: 0, lastCycleAt: null, lastError: null };
  const writeHealth = () => {
    if (!bot) return;
    try {
      writeHealthFile(paths.healthFile, healthSnapshot(bot, state, { broker: config.broker }));
    } catch (error) {
      logger.error(`Could not write ${paths.healthFile}: ${describeError(error)}`);
    }
  };

  const stop = new AbortController();
  let stopReason = input.singleCycle ? 'single cycle complete' : 'stopped';
  const onSignal = (signal: StopSignal) => {
    if (stop.signal.aborted) {
      logger.warn(`Second ${signal}: exiting without waiting for the cycle`);
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    stopReason = signal;
    logger.info(`${signal} received: finishing the current cycle, then shutting down`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    ordersStore = new SqliteOrdersStore({ file: paths.ordersFile });
    bot = await buildTradingBot(config, { broker, streamSource, batchesQuotes, eventStore, ordersStore, logger, clock, env: input.env });
    const running = bot;
    input.stdout.write(`${startupBanner(running, config, input.env, paths.storageDir)}\n`);
    eventStore.appendEvent('startup', BOT_ID, {
      profile: config.profile,
      broker: config.broker,
      dryRun: config.dryRun,
      symbols: config.symbols,
      updateInterval: config.updateInterval,
      marketDataMode: running.marketDataMode,
      pid: process.pid,
    });
    // Live only: open orders, unknown outcomes and positions are checked before the first cycle (a failure
    // switches reduce-only), then every reconcileOrdersInterval / reconcilePositionsInterval seconds.
    reconciler = createReconciler(running, config);
    if (reconciler) {
      await reconciler.atStartup();
      reconciler.start();
    }
    state.status = 'running';
    running.running = true;
    writeHealth();
    await runLoop({
      runCycle: () => running.runCycle(),
      intervalMs: config.updateInterval * 1000,
      singleCycle: input.singleCycle,
      signal: stop.signal,
      logger,
      afterCycle: (cycle, error) => {
        state.cycleCount = cycle;
        state.lastCycleAt = clock.now();
        state.lastError = error === undefined ? null : describeError(error);
        writeHealth();
        const marks = Object.fromEntries(running.symbols.map((s) => [s, running.markWindows.latest(s)?.toFixed() ?? null]));
        logger.info(`Cycle ${cycle} complete`, { marks, orderStats: { ...running.orderStats } });
      },
    });
    // The run's outcome on stdout, whether it ran one cycle or was stopped by a signal.
    const shadow = running.shadowReport();
    input.stdout.write(`${formatMarks(running)}\n${shadow ? `${formatShadow(shadow)}\n` : ''}`);
    return 0;
  } catch (error) {
    state.status = 'error';
    state.lastError = describeError(error);
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await shutdown();
  }

  async function shutdown(): Promise<void> {
    reconciler?.stop();
    try {
      await bot?.shutdown();
      await broker.disconnect();
    } catch (error) {
      logger.error(`Error while stopping the bot: ${describeError(error)}`);
    }
    try {
      eventStore.appendEvent('shutdown', BOT_ID, { reason: stopReason, cycles: state.cycleCount, orderStats: { ...bot?.orderStats } });
    } catch (error) {
      logger.error(`Could not record the shutdown: ${describeError(error)}`);
    }
    if (state.status !== 'error') state.status = 'stopped';
    writeHealth();
    ordersStore?.close();
    eventStore.close();
    logger.info(`Stopped after ${state.cycleCount} cycle(s) (${stopReason}); stores closed`);
  }
}
