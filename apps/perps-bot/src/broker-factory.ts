import { DeterministicBroker } from '@perps-bot/broker-adapters';
import { ErrorCodes, PerpsBotError, type Brokerage, type Clock, type Logger, type PerpsBotErrorOptions } from '@perps-bot/core';
import type { AppConfig, Credentials } from './config/index.js';

/** The chosen broker cannot be built (the reference's BrokerBootstrapError). The CLI exits 2 with its message. */
export class BrokerBootstrapError extends PerpsBotError {
  override readonly name = 'BrokerBootstrapError';
  readonly broker: string;

  constructor(broker: string, message: string, options: PerpsBotErrorOptions = {}) {
    super(ErrorCodes.BROKER_BOOTSTRAP, message, { ...options, details: { broker, ...options.details } });
    this.broker = broker;
  }
}

export interface BrokerFactoryInput {
  readonly config: Pick<AppConfig, 'broker' | 'seed' | 'apiUrl' | 'wsUrl'>;
  readonly credentials: Credentials | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The one place a broker is chosen and built. The Coinbase and paper adapters are written on other branches;
 * until they are merged, choosing them is a typed, explained refusal (exit 2), never a crash. To wire one in,
 * replace its case below (Coinbase: build it from config.apiUrl, config.wsUrl and the credentials, then
 * `await broker.connect()` and turn a failure into a BrokerBootstrapError).
 */
export async function createBroker(input: BrokerFactoryInput): Promise<Brokerage> {
  const { config, clock } = input;
  switch (config.broker) {
    case 'deterministic':
      return new DeterministicBroker({ seed: config.seed, clock });
    case 'coinbase':
      throw new BrokerBootstrapError(
        'coinbase',
        'broker "coinbase" is not available in this build yet (the Coinbase adapter is not merged); use --broker deterministic or --profile dev',
      );
    case 'paper':
      throw new BrokerBootstrapError('paper', 'broker "paper" is not available in this build yet; use --broker deterministic or --profile dev');
  }
}
