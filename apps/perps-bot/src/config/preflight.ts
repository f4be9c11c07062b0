import { ConfigError } from '@perps-bot/core';
import { resolveCredentials, type CredentialFileOptions, type Credentials } from './credentials.js';
import { assertSecureTransport } from './transport-policy.js';
import type { AppConfig } from './schema.js';

export interface PreflightResult {
  readonly credentials: Credentials | undefined;
}

/**
 * The checks that stand between a valid configuration and real money. Live prod needs an explicit
 * confirmation; canary and prod talk to the exchange over TLS only (plain http:/ws: to a loopback host, a local
 * simulator, is the one exception); a key file must be private to its owner; prod always needs credentials (so a dry run exercises the same authenticated reads), and so
 * does any other live run on Coinbase. Paper and deterministic brokers need neither.
 */
export function preflight(config: AppConfig, options: CredentialFileOptions = {}): PreflightResult {
  assertSecureTransport(config);
  const credentials = resolveCredentials(config, options);
  if (config.broker !== 'coinbase') return { credentials };
  if (config.profile === 'prod' && !config.dryRun && !config.confirmLiveTrading) {
    throw new ConfigError(
      'confirmLiveTrading',
      'refusing to trade live on the prod profile without confirmation: set PERPS_CONFIRM_LIVE_TRADING=yes (or "confirmLiveTrading": true in the config file), or add --dry-run',
    );
  }
  if (!credentials && (config.profile === 'prod' || !config.dryRun)) {
    const why = config.profile === 'prod' ? 'the prod profile' : `live trading on the ${config.profile} profile`;
    throw new ConfigError(
      'apiKeyName',
      `${why} needs Coinbase credentials: set COINBASE_API_KEY_NAME and COINBASE_API_PRIVATE_KEY, or COINBASE_API_KEY_FILE (a CDP key file)`,
    );
  }
  return { credentials };
}
