import { readFileSync, statSync } from 'node:fs';
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

export interface CredentialFileOptions {
  readonly cwd?: string;
  readonly readFile?: (path: string) => string;
  /** The file's permission bits, or undefined when it cannot be stat'ed (then reading it reports why). */
  readonly fileMode?: (path: string) => number | undefined;
}

const statMode = (path: string): number | undefined => {
  try {
    return statSync(path).mode;
  } catch {
    return undefined;
  }
};

/**
 * A private key that other accounts on the machine can read is no longer private: refused, as ssh refuses
 * such an identity file, with the command that fixes it.
 */
function assertPrivateKeyFile(path: string, mode: number | undefined): void {
  if (mode === undefined || (mode & 0o077) === 0) return;
  const octal = (mode & 0o777).toString(8).padStart(4, '0');
  const who =
    (mode & 0o070) !== 0 && (mode & 0o007) !== 0 ? 'group and others' : (mode & 0o070) !== 0 ? 'its group' : 'others';
  throw new ConfigError(
    'apiKeyFile',
    `invalid setting "apiKeyFile": ${path} is accessible by ${who} (mode ${octal}); a private key must be readable by its owner only: run chmod 600 ${path}`,
  );
}

/**
 * COINBASE_API_KEY_NAME + COINBASE_API_PRIVATE_KEY (or the config file's apiKeyName/apiPrivateKey) win over a
 * key file; a key file is the JSON the CDP portal downloads ({"name": …, "privateKey": …}). Half a pair is an
 * error rather than a silent fallback to the file.
 */
export function resolveCredentials(
  config: Pick<AppConfig, 'apiKeyName' | 'apiPrivateKey' | 'apiKeyFile'>,
  options: CredentialFileOptions = {},
): Credentials | undefined {
  const { apiKeyName, apiPrivateKey, apiKeyFile } = config;
  if (apiKeyName !== undefined || apiPrivateKey !== undefined) {
    if (apiKeyName === undefined)
      throw new ConfigError(
        'apiKeyName',
        'invalid setting "apiKeyName": not set (COINBASE_API_PRIVATE_KEY is set; set COINBASE_API_KEY_NAME too)',
      );
    if (apiPrivateKey === undefined)
      throw new ConfigError(
        'apiPrivateKey',
        'invalid setting "apiPrivateKey": not set (COINBASE_API_KEY_NAME is set; set COINBASE_API_PRIVATE_KEY too)',
      );
    return { apiKeyName, apiPrivateKey, source: 'settings' };
  }
  if (apiKeyFile === undefined) return undefined;
  const path = resolve(options.cwd ?? process.cwd(), apiKeyFile);
  const read = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  assertPrivateKeyFile(path, (options.fileMode ?? statMode)(path));
  let parsed: unknown;
  try {
    parsed = JSON.parse(read(path));
  } catch (error) {
    const reason =
      error instanceof SyntaxError
        ? 'not valid JSON'
        : `cannot read it: ${(error as NodeJS.ErrnoException).code ?? 'error'}`;
    throw new ConfigError(
      'apiKeyFile',
      `invalid setting "apiKeyFile": ${JSON.stringify(apiKeyFile)} (${reason}; expected a CDP key file with "name" and "privateKey")`,
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
      'apiKeyFile',
      `invalid setting "apiKeyFile": ${JSON.stringify(apiKeyFile)} (expected a CDP key file with "name" and "privateKey")`,
    );
  }
  return { apiKeyName: file.name, apiPrivateKey: file.privateKey, source: `file ${apiKeyFile}` };
}
