import { ConfigError } from '@perps-bot/core';
import type { CoinbaseBrokerOptions } from './options.js';

/** The environment variables `coinbaseOptionsFromEnv` reads. */
export const COINBASE_ENV = {
  keyName: 'COINBASE_API_KEY',
  privateKey: 'COINBASE_API_SECRET',
  apiUrl: 'COINBASE_API_URL',
  wsUrl: 'COINBASE_WS_URL',
  intxPortfolioUuid: 'COINBASE_INTX_PORTFOLIO_UUID',
} as const;

/**
 * Adapter options from the environment: the CDP key name and private key (both or neither), and optional URL
 * overrides (a loopback simulator) and INTX portfolio. Values are never echoed into errors.
 */
export function coinbaseOptionsFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): CoinbaseBrokerOptions {
  const read = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const keyName = read(COINBASE_ENV.keyName);
  const privateKey = read(COINBASE_ENV.privateKey);
  if ((keyName === undefined) !== (privateKey === undefined)) {
    const missing = keyName === undefined ? COINBASE_ENV.keyName : COINBASE_ENV.privateKey;
    throw new ConfigError(missing, `${missing} is not set; Coinbase credentials need both ${COINBASE_ENV.keyName} and ${COINBASE_ENV.privateKey}`);
  }
  const intxPortfolioUuid = read(COINBASE_ENV.intxPortfolioUuid);
  return {
    credentials: keyName && privateKey ? { keyName, privateKey } : undefined,
    apiUrl: read(COINBASE_ENV.apiUrl),
    wsUrl: read(COINBASE_ENV.wsUrl),
    derivatives: intxPortfolioUuid ? { intxPortfolioUuid } : undefined,
  };
}
