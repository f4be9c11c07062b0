#!/usr/bin/env node
import { createRequire } from 'node:module';
import { Command, CommanderError, Option } from 'commander';
import { ConfigError, describeError, StorageUnavailableError } from '@perps-bot/core';
import { BrokerBootstrapError } from './broker-factory.js';
import {
  BROKERS,
  configView,
  formatConfigView,
  loadConfig,
  LOG_LEVELS,
  preflight,
  PROFILES,
  type FlagValues,
} from './config/index.js';
import { MAIN_HELP, RUN_HELP, settingsHelp } from './help-text.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/** The options that are settings, shared by `run` and `config` so `config` shows exactly what `run` would use. */
function withSettingOptions(command: Command): Command {
  return command
    .option('--profile <name>', `configuration profile: ${PROFILES.join(', ')} (default: dev)`)
    .option('--broker <name>', `broker: ${BROKERS.join(', ')} (default: the profile's)`)
    .option('--symbols <list>', 'comma-separated product ids, e.g. BTC-PERP,ETH-PERP or BIP-20DEC30-CDE')
    .option('--dry-run', 'decide and record orders without placing them')
    .option('--no-dry-run', 'place orders (overrides a profile or environment dry run)')
    .option('--interval <seconds>', 'seconds between cycles (dev: 1)')
    .option('--dev-fast', 'dev profile only: 0.2 s between cycles')
    .option('--config <file>', 'JSON file of settings (between the profile and the environment)')
    .option('--data-dir <dir>', 'runtime root; data goes to <dir>/perps_bot/<profile> (default: var/data)')
    .option('--api-url <url>', 'Coinbase REST base URL')
    .option('--ws-url <url>', 'Coinbase WebSocket URL')
    .addOption(new Option('--log-level <level>', `log level: ${LOG_LEVELS.join(', ')}`))
    .option('--warm-up', "fill the mark windows from the broker's recent candles before the first cycle")
    .option('--status-server', 'serve /healthz, /readyz, /metrics and the status page (127.0.0.1 by default)')
    .option('--status-port <port>', 'port of the status server (default 9464; 0 = any free port)');
}

const program = new Command()
  .name('perps-bot')
  .description('A perpetual-futures trading bot. Safe by default: the dev profile trades nothing real.')
  .version(version)
  .exitOverride()
  .showHelpAfterError('(run perps-bot --help for usage)')
  .addHelpText('after', MAIN_HELP + settingsHelp());

withSettingOptions(
  program.command('run').description('Run the trading loop (until SIGINT/SIGTERM, or one cycle with --single-cycle)'),
)
  .option('--single-cycle', "run one cycle, print each symbol's mark and exit")
  .option('--max-cycles <n>', 'stop after n cycles')
  .option('--stop-after-trade', 'stop once a position opened in this run has been closed (a complete trade)')
  .addHelpText('after', RUN_HELP)
  .action(async (opts: FlagValues & { singleCycle?: boolean; maxCycles?: string; stopAfterTrade?: boolean }) => {
    const loaded = loadConfig({ flags: opts, env: process.env });
    const maxCycles = opts.maxCycles === undefined ? undefined : Number(opts.maxCycles);
    if (maxCycles !== undefined && !(Number.isInteger(maxCycles) && maxCycles >= 1)) {
      throw new ConfigError(
        'maxCycles',
        `invalid option --max-cycles: ${opts.maxCycles} (allowed: an integer ≥ 1; set by flag --max-cycles)`,
      );
    }
    // Loaded only once the configuration is valid: a bad setting is reported without loading the bot.
    const { runCommand } = await import('./run-command.js');
    process.exitCode = await runCommand({
      loaded,
      singleCycle: Boolean(opts.singleCycle),
      env: process.env,
      cwd: process.cwd(),
      stdout: process.stdout,
      ...(maxCycles === undefined ? {} : { maxCycles }),
      stopAfterTrade: Boolean(opts.stopAfterTrade),
    });
  });

withSettingOptions(
  program.command('status').description('Print what a running or stopped bot holds and did, from its data directory'),
)
  .option('--json', 'print the status document as JSON')
  .action(async (opts: FlagValues & { json?: boolean }) => {
    const loaded = loadConfig({ flags: opts, env: process.env });
    const { statusCommand } = await import('./status-command.js');
    process.exitCode = statusCommand({
      config: loaded.config,
      cwd: process.cwd(),
      stdout: process.stdout,
      json: Boolean(opts.json),
    });
  });

withSettingOptions(
  program
    .command('config')
    .description('Print the effective configuration (secrets masked) and where each value came from'),
)
  .option('--json', 'print JSON instead of a table')
  .addHelpText('after', settingsHelp())
  .action((opts: FlagValues & { json?: boolean }) => {
    const loaded = loadConfig({ flags: opts, env: process.env });
    const view = configView(loaded, process.env);
    let refusal: string | undefined;
    try {
      preflight(loaded.config);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      refusal = error.message;
    }
    if (opts.json) {
      process.stdout.write(`${JSON.stringify({ ...view, wouldRefuseToStart: refusal ?? null }, null, 2)}\n`);
    } else {
      process.stdout.write(`${formatConfigView(view, loaded.config.profile)}\n`);
      if (refusal) process.stdout.write(`\nrun would refuse to start: ${refusal}\n`);
    }
  });

withStorageOptions(
  program
    .command('experiments')
    .description("Summarise the shadows' experiment records (matches, mismatches, ignored per rule, durations)"),
)
  .option('--json', 'print JSON instead of a table')
  .option('--show <event-id>', 'print one record as JSON (a file for `pnpm golden:import`)')
  .action(async (opts: FlagValues & { json?: boolean; show?: string }) => {
    const { config } = loadConfig({ flags: opts, env: process.env });
    const show = opts.show === undefined ? undefined : Number(opts.show);
    if (show !== undefined && !(Number.isInteger(show) && show >= 1))
      throw new ConfigError('show', `invalid option --show: ${opts.show} (allowed: an event id, an integer ≥ 1)`);
    const { experimentsCommand } = await import('./experiments-command.js');
    process.exitCode = experimentsCommand({
      config,
      cwd: process.cwd(),
      stdout: process.stdout,
      json: Boolean(opts.json),
      ...(show === undefined ? {} : { show }),
    });
  });

/** Only what locates a profile's storage: the risk commands read and write risk.sqlite there. */
function withStorageOptions(command: Command): Command {
  return command
    .option('--profile <name>', `configuration profile: ${PROFILES.join(', ')} (default: dev)`)
    .option('--config <file>', 'JSON file of settings (between the profile and the environment)')
    .option('--data-dir <dir>', 'runtime root; data goes to <dir>/perps_bot/<profile> (default: var/data)');
}

const risk = program
  .command('risk')
  .description('Show or clear the risk state a restart restores (risk.sqlite: kill switch, reduce-only, daily loss)');

withStorageOptions(risk.command('show').description('Print the saved risk state of a profile'))
  .option('--json', 'print JSON instead of text')
  .action(async (opts: FlagValues & { json?: boolean }) => {
    const { config } = loadConfig({ flags: opts, env: process.env });
    const { riskShow } = await import('./risk-command.js');
    process.exitCode = riskShow({ config, cwd: process.cwd(), stdout: process.stdout, json: Boolean(opts.json) });
  });

withStorageOptions(
  risk
    .command('clear')
    .description('Lift the saved kill switch, reduce-only and daily-loss breach (the bot must be stopped)'),
)
  .option('--symbol <id>', "clear only this symbol's reduce-only flag")
  .action(async (opts: FlagValues & { symbol?: string }) => {
    const { config } = loadConfig({ flags: opts, env: process.env });
    const { riskClear } = await import('./risk-command.js');
    process.exitCode = riskClear({
      config,
      cwd: process.cwd(),
      stdout: process.stdout,
      symbol: opts.symbol?.trim().toUpperCase(),
    });
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and --version end with 0; a usage error (unknown option, missing value) is a configuration error.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (
    error instanceof ConfigError ||
    error instanceof BrokerBootstrapError ||
    error instanceof StorageUnavailableError
  ) {
    // StorageUnavailableError here is a start that could not open its stores (e.g. an unusable --data-dir).
    process.stderr.write(`perps-bot: ${error.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`perps-bot: ${describeError(error)}\n`);
    process.exitCode = 1;
  }
}
