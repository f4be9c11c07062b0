import { PaperBroker, type PaperMarketData } from '@perps-bot/broker-adapters';
import { ConfigError, describeError, type Brokerage, type Clock, type Logger } from '@perps-bot/core';
import type { AppConfig } from '../config/index.js';
import { readLedgerFile, writeLedgerFile } from './paper-ledger-file.js';

interface DryRunBrokerInput {
  /** The profile's broker: the dry run reads its quotes (and products, candles) and nothing else. */
  readonly market: Brokerage;
  readonly config: Pick<AppConfig, 'paperFeeBps' | 'paperSlippageBps' | 'paperStartingBalance'>;
  readonly ledgerFile: string;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * A dry run trades on paper at the quotes the bot sees (freqtrade's dry-run wallet): a PaperBroker over the
 * profile's broker's market data, with the configured fee and slippage, resumed from and saved to its own
 * ledger file after every fill, so positions, P&L, trailing stops and closes happen as they would live and
 * survive a restart. The paper broker gets market-data methods only: it cannot send an order anywhere.
 */
export function createDryRunBroker(input: DryRunBrokerInput): PaperBroker {
  const { market, config, ledgerFile, clock, logger } = input;
  const restore = readLedgerFile(ledgerFile);
  const save = (snapshot: Parameters<typeof writeLedgerFile>[1]) => writeLedgerFile(ledgerFile, snapshot);
  try {
    const paper = new PaperBroker({
      marketData: marketDataOf(market),
      feeBps: config.paperFeeBps,
      slippageBps: config.paperSlippageBps,
      startingBalance: config.paperStartingBalance,
      clock,
      logger,
      onChange: save,
      ...(restore ? { restore } : {}),
    });
    if (!restore) save(paper.snapshot());
    return paper;
  } catch (error) {
    throw new ConfigError(
      'dryRun',
      `the dry-run ledger ${ledgerFile} cannot be used: ${describeError(error)}; move it away to start a new one`,
    );
  }
}

function marketDataOf(broker: Brokerage): PaperMarketData {
  const batch = broker.getQuotes?.bind(broker);
  return {
    getQuote: (symbol) => broker.getQuote(symbol),
    ...(batch ? { getQuotes: (symbols: readonly string[]) => batch(symbols) } : {}),
    getProduct: (symbol) => broker.getProduct(symbol),
    listProducts: () => broker.listProducts(),
    getCandles: (symbol, granularity, limit) => broker.getCandles(symbol, granularity, limit),
  };
}
