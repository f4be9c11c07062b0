import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '@perps-bot/core';
import type { AppConfig } from './schema.js';

/** A CDP API key. Never logged, never in an error message, never printed by `perps-bot config`. */
export interface Credentials {
  readonly apiKeyName: string;
  readonly apiPrivateKey: string;
  /** Where they came from, for the banner ("env", "file /path/cdp_api_key.json"). */
  readonly source: string;
}

/**
 * COINBASE_API_KEY_NAME + COINBASE_API_PRIVATE_KEY (or the config file's apiKeyName/apiPrivateKey) win over a
 * key file; a key file is the JSON the CDP portal downloads ({"name": …, "privateKey": …}). Half a pair is an
 * error rather than a silent fallback to the file.
 */
export function resolveCredentials(
  config: Pick<AppConfig, 'apiKeyName' | 'apiPrivateKey' | 'apiKeyFile'>,
  options: { cwd?: string; readFile?: (path: string) => string } = {},
): Credentials | undefined {
  const { apiKeyName, apiPrivateKey, apiKeyFile } = config;
  if (apiKeyName !== undefined || apiPrivateKey !== undefined) {
    if (apiKeyName === undefined) throw new ConfigError('apiKeyName', 'invalid setting "apiKeyName": not set (COINBASE_API_PRIVATE_KEY is set; set COINBASE_API_KEY_NAME too)');
    if (apiPrivateKey === undefined) throw new ConfigError('apiPrivateKey', 'invalid setting "apiPrivateKey": not set (COINBASE_API_KEY_NAME is set; set COINBASE_API_PRIVATE_KEY too)');
    return { apiKeyName, apiPrivateKey, source: 'settings' };
  }
  if (apiKeyFile === undefined) return undefined;
  const path = resolve(options.cwd ?? process.cwd(), apiKeyFile);
  const read = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(read(path));
  } catch (error) {
    const reason = error instanceof SyntaxError ? 'not valid JSON' : `cannot read it: ${(error as NodeJS.ErrnoException).code ?? 'error'}`;
    throw new ConfigError('apiKeyFile', `invalid setting "apiKeyFile": ${JSON.stringify(apiKeyFile)} (${reason}; expected a CDP key file with "name" and "privateKey")`);
  }
  const file = (parsed ?? {}) as Record<string, unknown>;
  if (typeof file.name !== 'string' || file.name === '' || typeof file.privateKey !== 'string' || file.privateKey === '') {
    throw new ConfigError('apiKeyFile', `invalid setting "apiKeyFile": ${JSON.stringify(apiKeyFile)} (expected a CDP key file with "name" and "privateKey")`);
  }
  return { apiKeyName: file.name, apiPrivateKey: file.privateKey, source: `file ${apiKeyFile}` };
}
