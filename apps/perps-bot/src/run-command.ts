import {
  ConfigError,
  describeError,
  StorageUnavailableError,
  systemClock,
  type Clock,
  type Logger,
} from '@perps-bot/core';
import { BOT_ID, type PerpsBot, type Reconciler } from '@perps-bot/orchestration';
import { parseRiskStateSnapshot, type RiskStateSnapshot } from '@perps-bot/risk';
import {
  ensureWritableDirectory,
  findStorageFailure,
  guardBroker,
  guardEventStore,
  guardOrdersStore,
  guardWrite,
  resolveStoragePaths,
  SqliteEventStore,
  SqliteOrdersStore,
  SqliteRiskStateStore,
  StorageHealthMonitor,
  type StoragePaths,
} from '@perps-bot/stores';
import { startupBanner } from './banner.js';
import { createBroker } from './broker-factory.js';
import { checkSymbolsListed } from './symbol-check.js';
import { preflight, type LoadedConfig } from './config/index.js';
import { armDeadline, ExitCodes, SHUTDOWN_DEADLINE_MS } from './exit-codes.js';
import { healthSnapshot, writeHealthFile, type HealthState } from './health.js';
import { createPinoLogger, toLoggerPort } from './logger.js';
import { formatExecutionShadow, formatMarks, formatShadow } from './report.js';
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
  /** Where the one-line storage failure goes (default: the process's stderr). */
  readonly stderr?: NodeJS.WritableStream;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /** Stop after this many cycles (--max-cycles). */
  readonly maxCycles?: number;
  /** Stop once a position opened in this run has been closed (--stop-after-trade). */
  readonly stopAfterTrade?: boolean;
}

type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * `perps-bot run`: preflight, data directory, broker, stores, bot, then cycles until a single cycle is done or a
 * signal arrives. Shutdown always runs: the bot (and its streams) stop, a "shutdown" event is appended,
 * health.json says "stopped" (or "error"), and the stores are closed (their WAL checkpointed).
 *
 * Bounded shutdown: the stop signal reaches every Coinbase request and retry wait, so the cycle in progress ends
 * at once; and a hard deadline (SHUTDOWN_DEADLINE_MS) records the shutdown and exits with SHUTDOWN_DEADLINE if
 * anything still holds it up. A second signal exits at once. Every event already appended is committed.
 *
 * Persistence is a precondition for trading: a write that fails for a storage reason (full, I/O error,
 * read-only) makes storage unavailable; the broker then refuses orders, no cycle runs, health.json says
 * "error", one line names the file and the error, and if it lasts the process exits with STORAGE_UNAVAILABLE.
 */
export async function runCommand(input: RunCommandInput): Promise<number> {
  const { config } = input.loaded;
  const { credentials } = preflight(config, { cwd: input.cwd });
  // The RISK_* variables are validated before anything is opened: a bad one is a ConfigError (exit 2).
  riskConfigFor(config, input.env);
  const metrics = new BotMetrics(() => bot);
  const logger = metrics.countingLogger(input.logger ?? toLoggerPort(createPinoLogger({ level: config.logLevel })));
  const stderr = input.stderr ?? process.stderr;
  const clock = input.clock ?? systemClock;
  const paths = resolveStoragePaths({
    runtimeRoot: config.dataDir,
    eventStoreRoot: config.eventStoreRoot,
    profile: config.profile,
    cwd: input.cwd,
  });
  // Before the broker is reached: an unusable data directory fails at once (exit 2), whatever the path.
  ensureWritableDirectory(paths.storageDir);
  ensureWritableDirectory(paths.eventStoreDir);

  const stop = new AbortController();
  const setup = await createBroker({ config, credentials, clock, logger, signal: stop.signal });
  // An unknown symbol is a ConfigError (exit 2) naming it and the closest listed ids, before anything is opened.
  if (setup.listsProducts) await checkSymbolsListed(setup.broker, config.symbols);
  // Read before this run overwrites health.json: a live state with a dead pid means the last run was killed.
  const uncleanStop = detectUncleanStop(paths.healthFile);
  // A dry run trades on its own paper ledger at the profile broker's quotes; its orders go to their own store.
  const ledgerFile = config.dryRun ? dryRunLedgerPath(paths.storageDir) : undefined;
  const paper: PaperBroker | undefined = ledgerFile
    ? createDryRunBroker({ market: setup.broker, config, ledgerFile, clock, logger })
    : undefined;
  const storage = new StorageHealthMonitor({ clock });
  const stores = openStores(paths, clock, storage, {
    ordersFile: paper ? join(paths.storageDir, DRY_RUN_ORDERS_FILE) : paths.ordersFile,
    tickRetentionRows: config.tickRetentionRows,
  });
  const { ordersStore, riskStore } = stores;
  const eventStore = metrics.timedEventStore(stores.eventStore);
  // Orders go where the cycle places them (the paper ledger in a dry run); storage gates them either way.
  const broker = guardBroker(paper ?? setup.broker, storage);
  let bot: PerpsBot | undefined;
  let reconciler: Reconciler | undefined;
  const state: HealthState = { status: 'starting', cycleCount: 0, lastCycleAt: null, lastError: null };
  const status = new StatusModel({
    config,
    env: input.env,
    state,
    paper,
    dryRunLedger: ledgerFile,
    metrics,
    statusFile: join(paths.storageDir, STATUS_FILE),
  });
  let statusServer: StatusServer | undefined;
  const watch = new TradeWatch();
  const writeHealth = () => {
    if (!bot) return;
    try {
      writeHealthFile(
        paths.healthFile,
        healthSnapshot(bot, state, {
          broker: config.broker,
          dryRun: config.dryRun,
          ...(setup.streamStats ? { streamStats: setup.streamStats } : {}),
        }),
      );
    } catch (error) {
      logger.error(`Could not write ${paths.healthFile}: ${describeError(error)}`);
    }
  };

  storage.onUnavailable(({ error }) => {
    const line = `${error.message}; no new orders; exiting with code ${ExitCodes.STORAGE_UNAVAILABLE} if it lasts ${storage.exitBound}`;
    stderr.write(`perps-bot: ${line}\n`);
    logger.error(line, { file: error.file, reason: error.reason });
    state.status = 'error';
    state.lastError = error.message;
    writeHealth();
  });

  let stopReason = input.singleCycle ? 'single cycle complete' : 'stopped';
  let signalled = false;
  let deadline: { cancel: () => void } | undefined;
  const onSignal = (signal: StopSignal) => {
    if (signalled) {
      logger.warn(`Second ${signal}: exiting without waiting for the cycle`);
      process.exit(signal === 'SIGINT' ? ExitCodes.SECOND_SIGINT : ExitCodes.SECOND_SIGTERM);
    }
    signalled = true;
    stopReason = signal;
    logger.info(
      `${signal} received: finishing the current cycle, then shutting down (requests in flight are cancelled; at most ${SHUTDOWN_DEADLINE_MS / 1000} s)`,
    );
    stop.abort();
    deadline = armDeadline(SHUTDOWN_DEADLINE_MS, () => {
      stopReason = `${signal}; shutdown deadline of ${SHUTDOWN_DEADLINE_MS} ms exceeded`;
      logger.error(`Shutdown did not finish within ${SHUTDOWN_DEADLINE_MS} ms: recording and exiting`);
      recordShutdown();
      process.exit(ExitCodes.SHUTDOWN_DEADLINE);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    const saved = loadRiskState(riskStore);
    const riskState = {
      saved,
      persistence: {
        save: (snapshot: RiskStateSnapshot) =>
          guardWrite(storage, riskStore.file, () => riskStore.save({ ...snapshot }, clock.now())),
      },
    };
    bot = await buildTradingBot(config, {
      broker,
      streamSource: setup.streamSource,
      batchesQuotes: setup.batchesQuotes,
      eventStore,
      ordersStore,
      logger,
      clock,
      env: input.env,
      riskState,
      paperDryRun: paper !== undefined,
    });
    const running = bot;
    status.attach(running);
    if (config.statusServer) {
      statusServer = await startStatusServer({
        host: config.statusHost,
        port: config.statusPort,
        model: status,
        metrics,
        logger,
        intervalSeconds: config.updateInterval,
      });
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
    try {
      eventStore.appendEvent('startup', BOT_ID, {
        profile: config.profile,
        broker: config.broker,
        dryRun: config.dryRun,
        symbols: config.symbols,
        updateInterval: config.updateInterval,
        marketDataMode: running.marketDataMode,
        pid: process.pid,
        ...(ledgerFile
          ? { paperLedger: ledgerFile, paperFeeBps: config.paperFeeBps, paperSlippageBps: config.paperSlippageBps }
          : {}),
      });
      if (uncleanStop) {
        logger.warn(describeUncleanStop(uncleanStop), { previousPid: uncleanStop.pid });
        eventStore.appendEvent('unclean_stop', BOT_ID, { ...uncleanStop, detectedBy: process.pid });
      }
    } catch (error) {
      // The monitor has it (one line, health "error"); the cycle gate decides from here, as for any write.
      if (!(error instanceof StorageUnavailableError)) throw error;
    }
    // Live only: open orders, unknown outcomes and positions are checked before the first cycle (a failure
    // switches reduce-only), then every reconcileOrdersInterval / reconcilePositionsInterval seconds.
    reconciler = createReconciler(running, config);
    if (reconciler) {
      await reconciler.atStartup();
      reconciler.start();
    }
    if (storage.available) state.status = 'running';
    running.running = true;
    writeHealth();
    status.writeFile();
    const runStarted = clock.now();
    await runLoop({
      runCycle: async () => {
        // The cycle's precondition: storage that can write. While it cannot, no cycle runs (so no order).
        const verdict = storage.beforeCycle();
        if (verdict === 'exit') {
          stopReason = 'storage unavailable';
          stop.abort();
        }
        if (verdict !== 'available') return;
        if (state.status === 'error') recovered();
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
        state.lastError = storage.failure?.error.message ?? (error === undefined ? null : describeError(error));
        writeHealth();
        const marks = Object.fromEntries(
          running.symbols.map((s) => [s, running.markWindows.latest(s)?.toFixed() ?? null]),
        );
        logger.info(`Cycle ${cycle} complete`, { marks, orderStats: { ...running.orderStats } });
      },
    });
    // The run's outcome on stdout, whether it ran one cycle or was stopped by a signal.
    const shadow = running.shadowReport();
    await running.settleExecutionShadow();
    const executionShadow = running.executionShadowReport();
    input.stdout.write(
      `${formatMarks(running)}\n${shadow ? `${formatShadow(shadow)}\n` : ''}${executionShadow ? `${formatExecutionShadow(executionShadow)}\n` : ''}`,
    );
    if (!input.singleCycle) {
      const seconds = (clock.now().getTime() - runStarted.getTime()) / 1000;
      input.stdout.write(
        `${formatRunSummary({ bot: running, cycles: state.cycleCount, seconds, since: runStarted, watch, paper, ledgerFile })}\n`,
      );
    }
    return storage.available ? ExitCodes.OK : ExitCodes.STORAGE_UNAVAILABLE;
  } catch (error) {
    state.status = 'error';
    state.lastError = describeError(error);
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await shutdown();
    deadline?.cancel();
  }

  function recovered(): void {
    state.status = 'running';
    state.lastError = null;
    logger.info('Storage writable again: trading resumes');
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
    recordShutdown();
    logger.info(`Stopped after ${state.cycleCount} cycle(s) (${stopReason}); stores closed`);
  }

  /** Once only: the "shutdown" event, health.json's final state, the stores closed. */
  function recordShutdown(): void {
    if (stores.closed) return;
    try {
      eventStore.appendEvent('shutdown', BOT_ID, {
        reason: stopReason,
        cycles: state.cycleCount,
        orderStats: { ...bot?.orderStats },
      });
    } catch (error) {
      logger.error(`Could not record the shutdown: ${describeError(error)}`);
    }
    if (state.status !== 'error') state.status = 'stopped';
    writeHealth();
    try {
      status.writeFile();
    } catch (error) {
      logger.error(`Could not write the status file: ${describeError(error)}`);
    }
    stores.close();
  }
}

/** The three stores (orders in the dry run's own file when there is one), guarded by the storage monitor; if one cannot be opened, those already open are closed. */
function openStores(
  paths: StoragePaths,
  clock: Clock,
  storage: StorageHealthMonitor,
  options: { ordersFile: string; tickRetentionRows: number },
) {
  const { ordersFile } = options;
  const opened: Array<{ close(): void }> = [];
  try {
    const events = new SqliteEventStore({
      file: paths.eventsFile,
      clock,
      ...(options.tickRetentionRows > 0 ? { tickRetention: { maxRows: options.tickRetentionRows } } : {}),
      // A group flush on the timer has no caller to throw to: its failure reaches the monitor here (and the
      // next append throws it too), so a full disk stops trading whether a tick or an order hit it first.
      onWriteError: (error) => {
        const failure = findStorageFailure(paths.eventsFile, error);
        if (failure) storage.recordFailure(failure);
      },
    });
    opened.push(events);
    const orders = new SqliteOrdersStore({ file: ordersFile });
    opened.push(orders);
    const riskStore = new SqliteRiskStateStore({ file: paths.riskFile });
    opened.push(riskStore);
    for (const store of [events, orders, riskStore]) storage.watch(store);
    let closed = false;
    return {
      eventStore: guardEventStore(events, storage),
      ordersStore: guardOrdersStore(orders, storage),
      riskStore,
      get closed() {
        return closed;
      },
      close() {
        closed = true;
        for (const store of opened) {
          try {
            store.close();
          } catch {
            // a store that cannot checkpoint (full disk) still closes its handle; nothing more to do here
          }
        }
      },
    };
  } catch (error) {
    for (const store of opened) store.close();
    throw error;
  }
}

function loadRiskState(store: SqliteRiskStateStore): RiskStateSnapshot | undefined {
  const saved = store.load();
  if (!saved) return undefined;
  try {
    return parseRiskStateSnapshot(saved.state);
  } catch (error) {
    throw new ConfigError(
      'riskState',
      `${store.file}: ${describeError(error)}; see it with "perps-bot risk show", reset it with "perps-bot risk clear"`,
    );
  }
}
