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
import type { PaperBroker } from '@perps-bot/broker-adapters';
import { join } from 'node:path';
import { createDryRunBroker } from './dry-run/dry-run-broker.js';
import { DRY_RUN_ORDERS_FILE, dryRunLedgerPath } from './dry-run/paper-ledger-file.js';
import { BotMetrics } from './observability/metrics.js';
import { STATUS_FILE, StatusModel } from './observability/status-model.js';
import { startStatusServer, type StatusServer } from './observability/status-server.js';
import { formatRunSummary, TradeWatch } from './run-summary.js';
import { describeUncleanStop, detectUncleanStop } from './unclean-stop.js';
import { warmUpWindows } from './warm-up.js';

export interface RunCommandInput {
  readonly loaded: LoadedConfig;
  readonly singleCycle: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdout: NodeJS.WritableStream;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Stop after this many cycles (--max-cycles). */
  readonly maxCycles?: number;
  /** Stop once a position opened in this run has been closed (--stop-after-trade). */
  readonly stopAfterTrade?: boolean;
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
  const metrics = new BotMetrics(() => bot);
  const logger = metrics.countingLogger(input.logger ?? toLoggerPort(createPinoLogger({ level: config.logLevel })));
  const clock = input.clock ?? systemClock;
  const { broker, streamSource, batchesQuotes } = await createBroker({ config, credentials, clock, logger });
  const paths = resolveStoragePaths({ runtimeRoot: config.dataDir, eventStoreRoot: config.eventStoreRoot, profile: config.profile, cwd: input.cwd });
  // Read before this run overwrites health.json: a live state with a dead pid means the last run was killed.
  const uncleanStop = detectUncleanStop(paths.healthFile);
  // A dry run trades on its own paper ledger at the profile broker's quotes; its orders go to their own store.
  const ledgerFile = config.dryRun ? dryRunLedgerPath(paths.storageDir) : undefined;
  const paper: PaperBroker | undefined = ledgerFile ? createDryRunBroker({ market: broker, config, ledgerFile, clock, logger }) : undefined;
  const sqliteEvents = new SqliteEventStore({ file: paths.eventsFile, clock });
  const eventStore = metrics.timedEventStore(sqliteEvents);
  let ordersStore: SqliteOrdersStore | undefined;
  let bot: PerpsBot | undefined;
  let reconciler: Reconciler | undefined;
  const state: HealthState = { status: 'starting', cycleCount: 0, lastCycleAt: null, lastError: null };
  const status = new StatusModel({ config, env: input.env, state, paper, dryRunLedger: ledgerFile, metrics, statusFile: join(paths.storageDir, STATUS_FILE) });
  let statusServer: StatusServer | undefined;
  const watch = new TradeWatch();
  const writeHealth = () => {
    if (!bot) return;
    try {
      writeHealthFile(paths.healthFile, healthSnapshot(bot, state, { broker: config.broker, dryRun: config.dryRun }));
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
    ordersStore = new SqliteOrdersStore({ file: paper ? join(paths.storageDir, DRY_RUN_ORDERS_FILE) : paths.ordersFile });
    bot = await buildTradingBot(config, {
      broker: paper ?? broker,
      streamSource,
      batchesQuotes,
      eventStore,
      ordersStore,
      logger,
      clock,
      env: input.env,
      paperDryRun: paper !== undefined,
    });
    const running = bot;
    status.attach(running);
    if (config.statusServer) {
      statusServer = await startStatusServer({ host: config.statusHost, port: config.statusPort, model: status, metrics, logger, intervalSeconds: config.updateInterval });
      status.statusUrl = statusServer.url;
    }
    if (config.warmUp) await warmUpWindows(running);
    input.stdout.write(
      `${startupBanner(running, config, input.env, paths.storageDir, {
        loaded: input.loaded,
        ...(ledgerFile ? { dryRunLedger: ledgerFile } : {}),
        ...(statusServer ? { statusUrl: statusServer.url } : {}),
        ...(uncleanStop ? { uncleanStop: describeUncleanStop(uncleanStop) } : {}),
      })}\n`,
    );
    eventStore.appendEvent('startup', BOT_ID, {
      profile: config.profile,
      broker: config.broker,
      dryRun: config.dryRun,
      symbols: config.symbols,
      updateInterval: config.updateInterval,
      marketDataMode: running.marketDataMode,
      pid: process.pid,
      ...(ledgerFile ? { paperLedger: ledgerFile, paperFeeBps: config.paperFeeBps, paperSlippageBps: config.paperSlippageBps } : {}),
    });
    if (uncleanStop) {
      logger.warn(describeUncleanStop(uncleanStop), { previousPid: uncleanStop.pid });
      eventStore.appendEvent('unclean_stop', BOT_ID, { ...uncleanStop, detectedBy: process.pid });
    }
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
    status.writeFile();
    const runStarted = clock.now();
    await runLoop({
      runCycle: async () => {
        const started = performance.now();
        let failed = true;
        try {
          await running.runCycle();
          failed = false;
        } finally {
          const report = running.tradingCycle?.lastReport;
          metrics.observeCycle(report, (performance.now() - started) / 1000, failed, running);
          watch.observe(report);
          await status.refresh(report);
        }
      },
      ...(input.maxCycles === undefined ? {} : { maxCycles: input.maxCycles }),
      ...(input.stopAfterTrade ? { shouldStop: () => watch.completed > 0 } : {}),
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
    if (!input.singleCycle) {
      const seconds = (clock.now().getTime() - runStarted.getTime()) / 1000;
      input.stdout.write(`${formatRunSummary({ bot: running, cycles: state.cycleCount, seconds, since: runStarted, watch, paper, ledgerFile })}\n`);
    }
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
      await statusServer?.close();
    } catch (error) {
      logger.error(`Error while closing the status server: ${describeError(error)}`);
    }
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
    status.writeFile();
    ordersStore?.close();
    sqliteEvents.close();
    logger.info(`Stopped after ${state.cycleCount} cycle(s) (${stopReason}); stores closed`);
  }
}
