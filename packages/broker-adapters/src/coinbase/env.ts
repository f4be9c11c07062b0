import { readFileSync } from 'node:fs';
import { ConfigError } from '@perps-bot/core';
import type { CoinbaseBrokerOptions } from './options.js';

/**
 * The environment variables `coinbaseOptionsFromEnv` reads: the same names as the perps-bot app's settings, so
 * a user sets one set of variables for both. Each is read first under its name, then under its aliases (the
 * adapter's earlier names), the first one set and not blank winning.
 */
const COINBASE_ENV = {
  keyName: 'COINBASE_API_KEY_NAME',
  privateKey: 'COINBASE_API_PRIVATE_KEY',
  keyFile: 'COINBASE_API_KEY_FILE',
  apiUrl: 'COINBASE_API_BASE_URL',
  wsUrl: 'COINBASE_WS_URL',
  intxPortfolioUuid: 'COINBASE_INTX_PORTFOLIO_UUID',
} as const;

/** Older names still accepted, below the names of COINBASE_ENV. */
const COINBASE_ENV_ALIASES: Readonly<Partial<Record<keyof typeof COINBASE_ENV, readonly string[]>>> = {
  keyName: ['COINBASE_API_KEY'],
  privateKey: ['COINBASE_API_SECRET'],
  apiUrl: ['COINBASE_API_URL'],
};

type Env = Readonly<Record<string, string | undefined>>;

function reader(env: Env) {
  return (setting: keyof typeof COINBASE_ENV): { value: string; name: string } | undefined => {
    for (const name of [COINBASE_ENV[setting], ...(COINBASE_ENV_ALIASES[setting] ?? [])]) {
      const value = env[name]?.trim();
      if (value !== undefined && value !== '') return { value, name };
    }
    return undefined;
  };
}

/**
 * Adapter options from the environment: the CDP key name and private key (both or neither; else a CDP key
 * file), optional URL overrides (a loopback simulator) and the INTX portfolio. Values are never echoed into
 * errors.
 */
export function coinbaseOptionsFromEnv(
  env: Env = process.env,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): CoinbaseBrokerOptions {
  const read = reader(env);
  const keyName = read('keyName');
  const privateKey = read('privateKey');
  if ((keyName === undefined) !== (privateKey === undefined)) {
    const missing = keyName === undefined ? COINBASE_ENV.keyName : COINBASE_ENV.privateKey;
    throw new ConfigError(
      missing,
      `${missing} is not set; Coinbase credentials need both ${COINBASE_ENV.keyName} and ${COINBASE_ENV.privateKey}`,
    );
  }
  let credentials = keyName && privateKey ? { keyName: keyName.value, privateKey: privateKey.value } : undefined;
  const keyFile = read('keyFile');
  if (!credentials && keyFile) credentials = readKeyFile(keyFile.value, readFile);
  const intxPortfolioUuid = read('intxPortfolioUuid')?.value;
  return {
    credentials,
    apiUrl: read('apiUrl')?.value,
    wsUrl: read('wsUrl')?.value,
    derivatives: intxPortfolioUuid ? { intxPortfolioUuid } : undefined,
  };
}

/** The JSON the CDP portal downloads: `{"name": …, "privateKey": …}`. */
function readKeyFile(path: string, readFile: (path: string) => string): { keyName: string; privateKey: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFile(path));
  } catch {
    throw new ConfigError(
      COINBASE_ENV.keyFile,
      `${COINBASE_ENV.keyFile} ${JSON.stringify(path)} could not be read as JSON`,
    );
  }
  const file = (parsed ?? {}) as Record<string, unknown>;
  if (
    typeof file.name !== 'string' ||
    file.name === '' ||
    typeof file.privateKey !== 'string' ||
    file.privateKey === ''
  ) {
    throw new ConfigError(
      COINBASE_ENV.keyFile,
      `${COINBASE_ENV.keyFile} ${JSON.stringify(path)} is not a CDP key file (expected "name" and "privateKey")`,
    );
  }
  return { keyName: file.name, privateKey: file.privateKey };
}
