#!/usr/bin/env node
import { Command, Option } from 'commander';
import { formatMarks } from './report.js';
import { createPinoLogger, toLoggerPort } from './logger.js';
import { buildDevBot } from './wiring.js';

const program = new Command()
  .name('perps-bot')
  .description('A perpetual-futures trading bot. Safe by default: the dev profile trades nothing real.');

program
  .command('run')
  .description('Run the trading loop')
  .addOption(new Option('--profile <profile>', 'configuration profile').choices(['dev']).default('dev'))
  .option('--single-cycle', 'run one cycle and exit', false)
  .action(async (opts: { profile: string; singleCycle: boolean }) => {
    const logger = toLoggerPort(createPinoLogger());
    const bot = await buildDevBot({ logger });
    process.stdout.write(`perps-bot profile=${opts.profile} market-data=${bot.marketDataMode}\n`);
    await bot.runCycle();
    process.stdout.write(`${formatMarks(bot)}\n`);
    await bot.shutdown();
  });

await program.parseAsync(process.argv);
