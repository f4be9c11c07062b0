import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCoinbaseBroker } from '@perps-bot/broker-adapters';
import { Decimal, type Order, type StoredEvent } from '@perps-bot/core';
import { startExchangeSim, type ExchangeSim, type Faults } from '@perps-bot/exchange-sim';
import { SqliteEventStore, SqliteOrdersStore } from '@perps-bot/stores';
import { startCli, type RunningCli } from 'perps-bot/testing';
import type { Observation, ProcessExit } from './invariants.js';
import type { Phase, Schedule } from './schedule.js';
import { openScratchDisk, type ScratchDisk } from './scratch-disk.js';

const SYMBOLS = ['BIP-20DEC30-CDE', 'ETP-20DEC30-CDE'] as const;
/** The dev profile's knobs the run sets (small, so a short schedule trades): cash, cap, entry size. */
const CASH_USD = 20_000;
const MAX_POSITION_USD = 3_000;
const POSITION_FRACTION = 0.05;
const TARGET_LEVERAGE = 2;
/** Seeded long of a reduce-only run, in contracts per symbol (BIP 0.01 BTC, ETP 0.1 ETH). */
const SEEDED_CONTRACTS: Readonly<Record<string, string>> = { 'BIP-20DEC30-CDE': '3', 'ETP-20DEC30-CDE': '5' };
/** Cycles with no fault at the end: the bot must bring its books in line with the exchange within these. */
const QUIET_CYCLES = 10;
const POLL_MS = 40;

interface RunOptions {
  /** The exit codes the bot may end with by itself, besides 0. */
  readonly allowedExitCodes: readonly number[];
  /** Where the runner says what it does (one line per phase). */
  readonly log?: (line: string) => void;
}

interface RunResult {
  readonly observation: Observation;
  /** What was left out (no tmpfs for disk-full phases…), to print beside the verdict. */
  readonly notes: readonly string[];
}

/**
 * Runs the real `perps-bot run` process (dev profile on the Coinbase adapter, live orders, streaming on) against
 * the simulator, phase by phase: faults set on the simulator, kill -9 and restart, the data dir's disk filled;
 * then a quiet phase and SIGTERM. Returns what both sides hold at the end.
 */
export async function runSchedule(schedule: Schedule, options: RunOptions): Promise<RunResult> {
  const log = options.log ?? (() => undefined);
  const notes: string[] = [];
  const wantsDisk = schedule.phases.some((p) => p.diskFull);
  let disk: ScratchDisk | undefined;
  if (wantsDisk) {
    const opened = openScratchDisk();
    if ('unavailable' in opened) notes.push(opened.unavailable);
    else disk = opened;
  }
  const dataDir = disk?.dir ?? mkdtempSync(join(tmpdir(), 'perps-bot-adversary-'));
  const profileDir = join(dataDir, 'perps_bot', 'dev');
  const sim = await startExchangeSim({
    seed: schedule.seed,
    tickIntervalMs: 25,
    heartbeatIntervalMs: 250,
    products: [...SYMBOLS],
    balances: { USD: String(CASH_USD) },
    faults: { rest: { timeoutMs: 300, retryAfterSeconds: 0.01 }, ws: {} },
  });
  try {
    await seedPositions(sim, schedule.reduceOnly);
    const runner = new BotRunner(sim, dataDir, profileDir, schedule.reduceOnly);
    runner.start();
    for (const [i, phase] of schedule.phases.entries()) {
      log(`phase ${i + 1}/${schedule.phases.length}: ${JSON.stringify(phase)}`);
      await runPhase(runner, sim, disk, phase);
    }
    sim.setFaults({ rest: { timeoutMs: 300, retryAfterSeconds: 0.01 }, ws: {}, positions: {} });
    disk?.free();
    runner.ensureRunning();
    log(`quiet: ${QUIET_CYCLES} cycles without faults`);
    await runner.waitForCycles(QUIET_CYCLES, 60_000);
    await runner.stop();
    const notionalBound = new Decimal(MAX_POSITION_USD).plus(
      new Decimal(POSITION_FRACTION * TARGET_LEVERAGE).mul(CASH_USD + 2 * MAX_POSITION_USD),
    );
    const observation: Observation = {
      symbols: SYMBOLS,
      reduceOnly: schedule.reduceOnly,
      notionalBound,
      ledger: sim.ledger(),
      orders: readOrders(profileDir),
      events: readEvents(profileDir),
      health: runner.healthSamples,
      exits: runner.exits,
      allowedExitCodes: options.allowedExitCodes,
    };
    return { observation, notes };
  } finally {
    await sim.close();
    if (disk) disk.close();
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

async function runPhase(
  runner: BotRunner,
  sim: ExchangeSim,
  disk: ScratchDisk | undefined,
  phase: Phase,
): Promise<void> {
  sim.setFaults(toSimFaults(phase));
  if (phase.diskFull && disk) {
    disk.fill();
    // With its disk full the bot may not even write health.json: the phase is measured in time, not cycles.
    await runner.runFor(Math.max(1_000, phase.cycles * 250));
    disk.free();
    runner.ensureRunning();
    return;
  }
  const budgetMs = Math.max(5_000, phase.cycles * 2_500);
  if (phase.killAfter !== undefined) {
    await runner.waitForCycles(phase.killAfter, budgetMs);
    await runner.kill();
    runner.start();
    await runner.waitForCycles(phase.cycles - phase.killAfter, budgetMs);
  } else {
    await runner.waitForCycles(phase.cycles, budgetMs);
  }
}

function toSimFaults(phase: Phase): Faults {
  const { routes, ...rates } = phase.rest;
  return {
    rest: { ...rates, routes, timeoutMs: 300, retryAfterSeconds: 0.01 },
    ws: phase.ws,
    positions: phase.positions ?? {},
  };
}

/** The reduce-only run starts long, bought outside the bot; its client ids are not the bot's. */
async function seedPositions(sim: ExchangeSim, reduceOnly: boolean): Promise<void> {
  if (!reduceOnly) return;
  const key = sim.credentials;
  if (!key) throw new Error('the simulator generated no test key');
  const broker = createCoinbaseBroker({
    apiUrl: sim.apiUrl,
    credentials: { keyName: key.keyName, privateKey: key.privateKeyPem },
    rateLimit: false,
  });
  for (const symbol of SYMBOLS) {
    const quantity = new Decimal(SEEDED_CONTRACTS[symbol] ?? '1');
    await broker.placeOrder({ symbol, side: 'BUY', type: 'MARKET', quantity, clientId: `adversary-seed-${symbol}` });
  }
  await broker.disconnect();
}

/** The bot as a supervisor sees it: a process to start, watch, kill and restart on one data dir. */
class BotRunner {
  readonly healthSamples: unknown[] = [];
  readonly exits: ProcessExit[] = [];
  #cli: RunningCli | undefined;
  #sentByUs: ProcessExit['sentByUs'];
  /** Cycles completed by earlier processes (health.json's cycleCount starts again at each start). */
  #baseCycles = 0;
  #lastSample = '';

  constructor(
    private readonly sim: ExchangeSim,
    private readonly dataDir: string,
    private readonly profileDir: string,
    private readonly reduceOnly: boolean,
  ) {}

  start(): void {
    const key = this.sim.credentials;
    if (!key) throw new Error('the simulator generated no test key');
    const args = [
      'run',
      '--profile',
      'dev',
      '--broker',
      'coinbase',
      '--api-url',
      this.sim.apiUrl,
      '--ws-url',
      this.sim.wsUrl,
    ];
    args.push('--no-dry-run', '--interval', '0.05', '--symbols', SYMBOLS.join(','), '--data-dir', this.dataDir);
    this.#sentByUs = undefined;
    this.#cli = startCli(
      args,
      {
        COINBASE_API_KEY_NAME: key.keyName,
        COINBASE_API_PRIVATE_KEY: key.privateKeyPem,
        PERPS_ENABLE_STREAMING: '1',
        PERPS_SHORT_MA: '2',
        PERPS_LONG_MA: '4',
        PERPS_MAX_POSITION_SIZE: String(MAX_POSITION_USD),
        PERPS_POSITION_FRACTION: String(POSITION_FRACTION),
        PERPS_TARGET_LEVERAGE: String(TARGET_LEVERAGE),
        PERPS_TRAILING_STOP_PCT: '0.002',
        RISK_DAILY_LOSS_LIMIT: '0',
        RISK_MAX_LEVERAGE: '10',
        RISK_REDUCE_ONLY_MODE: this.reduceOnly ? 'true' : 'false',
        PERPS_LOG_LEVEL: 'warn',
      },
      600_000,
    );
  }

  /** Restarts the bot if it stopped by itself (a supervisor's restart). */
  ensureRunning(): void {
    if (!this.#alive()) {
      this.#collectExit();
      this.start();
    }
  }

  async waitForCycles(count: number, budgetMs: number): Promise<void> {
    const target = this.#cycles() + count;
    const deadline = Date.now() + budgetMs;
    while (this.#cycles() < target && Date.now() < deadline) {
      await this.#tick();
      this.ensureRunning();
    }
  }

  async runFor(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) await this.#tick();
  }

  async kill(): Promise<void> {
    if (!this.#cli) return;
    this.#sentByUs = 'SIGKILL';
    this.#cli.child.kill('SIGKILL');
    await this.#cli.done.catch(() => undefined);
    this.#collectExit();
  }

  /** SIGTERM, as a supervisor stops it; SIGKILL if it has not exited 15 s later (reported as an unclean exit). */
  async stop(): Promise<void> {
    const cli = this.#cli;
    if (!cli || !this.#alive()) {
      this.#collectExit();
      return;
    }
    this.#sentByUs = 'SIGTERM';
    cli.child.kill('SIGTERM');
    const timer = setTimeout(() => cli.child.kill('SIGKILL'), 15_000);
    await cli.done.catch(() => undefined);
    clearTimeout(timer);
    this.#sample();
    this.#collectExit();
  }

  #alive(): boolean {
    const child = this.#cli?.child;
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  #collectExit(): void {
    const cli = this.#cli;
    if (!cli) return;
    this.#baseCycles += this.#currentCycles();
    this.#cli = undefined;
    const child = cli.child;
    this.#lastSample = '';
    this.exits.push({
      code: child.exitCode,
      signal: child.signalCode,
      sentByUs: this.#sentByUs,
      stderrTail: cli.output().stderr.slice(-2_000),
    });
  }

  async #tick(): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    this.#sample();
  }

  #cycles(): number {
    return this.#baseCycles + this.#currentCycles();
  }

  #currentCycles(): number {
    const health = this.#health();
    return typeof health?.cycleCount === 'number' && this.#cli && health.pid === this.#cli.child.pid
      ? health.cycleCount
      : 0;
  }

  #sample(): void {
    let text: string;
    try {
      text = readFileSync(join(this.profileDir, 'health.json'), 'utf8');
    } catch {
      return;
    }
    if (text === this.#lastSample) return;
    this.#lastSample = text;
    try {
      this.healthSamples.push(JSON.parse(text));
    } catch {
      // replaced atomically, so never half-written; a parse failure would show as a missing sample
    }
  }

  #health(): { cycleCount?: unknown; pid?: unknown } | undefined {
    try {
      return JSON.parse(readFileSync(join(this.profileDir, 'health.json'), 'utf8')) as {
        cycleCount?: unknown;
        pid?: unknown;
      };
    } catch {
      return undefined;
    }
  }
}

function readOrders(profileDir: string): Order[] {
  try {
    const store = new SqliteOrdersStore({ file: join(profileDir, 'orders.sqlite'), readonly: true });
    try {
      return store.list(1_000_000);
    } finally {
      store.close();
    }
  } catch {
    return [];
  }
}

function readEvents(profileDir: string): StoredEvent[] {
  try {
    const store = new SqliteEventStore({ file: join(profileDir, 'events.sqlite'), readonly: true });
    try {
      return store.tail(10_000_000);
    } finally {
      store.close();
    }
  } catch {
    return [];
  }
}
