import type { Clock, Decimal, Logger } from '@perps-bot/core';
import { PaperBroker } from '../paper/paper-broker.js';
import { DeterministicMarket, type FailureMode } from './deterministic-market.js';

export interface DeterministicBrokerOptions {
  /** Same seed → same prices, call for call. */
  readonly seed?: number;
  readonly clock?: Clock;
  /** Largest move per quote, in basis points of the price (default 20). */
  readonly stepBps?: number;
  /** Starting USD balance (default 100000). */
  readonly startingUsd?: Decimal | string;
  readonly logger?: Logger;
}

/**
 * The dev broker: a paper account (no fee, no slippage) trading on the seeded deterministic market, so the
 * bot runs end to end with no network and no credentials. Orders reuse the paper broker's ledger rather
 * than a second copy of it.
 */
export class DeterministicBroker extends PaperBroker {
  override readonly name: string = 'deterministic';
  readonly #market: DeterministicMarket;

  constructor(options: DeterministicBrokerOptions = {}) {
    const market = new DeterministicMarket(options);
    super({
      marketData: market,
      startingBalance: options.startingUsd ?? '100000',
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    this.#market = market;
  }

  /** From now on, quotes for the symbol throw (or answer null) until `recover` is called. */
  failFor(symbol: string, mode: FailureMode = 'throw'): void {
    this.#market.failFor(symbol, mode);
  }

  recover(symbol: string): void {
    this.#market.recover(symbol);
  }
}
