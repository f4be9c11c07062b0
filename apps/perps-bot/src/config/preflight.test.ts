import { ConfigError } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';
import { preflight } from './preflight.js';

const KEY_FILE = JSON.stringify({
  name: 'organizations/o/apiKeys/k',
  privateKey: '-----BEGIN EC PRIVATE KEY-----\nX\n-----END EC PRIVATE KEY-----',
});
const readFile = (path: string) => {
  if (path === '/keys/cdp.json') return KEY_FILE;
  if (path === '/keys/broken.json') return '{"name": "only"}';
  throw Object.assign(new Error('missing'), { code: 'ENOENT' });
};

function check(
  env: NodeJS.ProcessEnv,
  flags: Parameters<typeof loadConfig>[0] extends infer I ? (I extends { flags?: infer F } ? F : never) : never = {},
) {
  const { config } = loadConfig({ env, flags, readFile });
  return preflight(config, { readFile, cwd: '/' });
}

const CREDS = { COINBASE_API_KEY_NAME: 'organizations/o/apiKeys/k', COINBASE_API_PRIVATE_KEY: 'pem' };
const CONFIRM = { PERPS_CONFIRM_LIVE_TRADING: 'yes' };

describe('preflight: what stands between a valid configuration and real money', () => {
  it.each<[string, NodeJS.ProcessEnv, { profile?: string; dryRun?: boolean }, RegExp]>([
    [
      'prod live without confirmation',
      CREDS,
      { profile: 'prod' },
      /^refusing to trade live on the prod profile without confirmation: set PERPS_CONFIRM_LIVE_TRADING=yes/,
    ],
    [
      'prod live, confirmed, without credentials',
      CONFIRM,
      { profile: 'prod' },
      /^the prod profile needs Coinbase credentials: set COINBASE_API_KEY_NAME and COINBASE_API_PRIVATE_KEY, or COINBASE_API_KEY_FILE/,
    ],
    [
      'prod dry run without credentials',
      {},
      { profile: 'prod', dryRun: true },
      /^the prod profile needs Coinbase credentials/,
    ],
    [
      'canary live without credentials',
      {},
      { profile: 'canary' },
      /^live trading on the canary profile needs Coinbase credentials/,
    ],
    [
      'half a key pair',
      { COINBASE_API_KEY_NAME: 'k', ...CONFIRM },
      { profile: 'prod' },
      /^invalid setting "apiPrivateKey": not set \(COINBASE_API_KEY_NAME is set/,
    ],
    [
      'an unreadable key file',
      { COINBASE_API_KEY_FILE: '/keys/none.json', ...CONFIRM },
      { profile: 'prod' },
      /^invalid setting "apiKeyFile": "\/keys\/none.json" \(cannot read it: ENOENT/,
    ],
    [
      'a key file without a private key',
      { COINBASE_API_KEY_FILE: '/keys/broken.json', ...CONFIRM },
      { profile: 'prod' },
      /expected a CDP key file with "name" and "privateKey"/,
    ],
  ])('refuses %s', (_name, env, flags, message) => {
    let error: unknown;
    try {
      check(env, flags);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(message);
    expect((error as ConfigError).message).not.toContain('pem');
  });

  it.each<[string, NodeJS.ProcessEnv, { profile?: string; dryRun?: boolean; broker?: string }, string | undefined]>([
    ['dev, no credentials', {}, {}, undefined],
    ['canary dry run without credentials (public market data)', {}, { profile: 'canary', dryRun: true }, undefined],
    ['prod live with confirmation and credentials', { ...CREDS, ...CONFIRM }, { profile: 'prod' }, 'settings'],
    [
      'prod live with confirmation and a key file',
      { COINBASE_API_KEY_FILE: '/keys/cdp.json', ...CONFIRM },
      { profile: 'prod' },
      'file /keys/cdp.json',
    ],
    ['prod on the deterministic broker (nothing real)', {}, { profile: 'prod', broker: 'deterministic' }, undefined],
  ])('lets %s start', (_name, env, flags, source) => {
    expect(check(env, flags).credentials?.source).toBe(source);
  });

  it('prefers explicit settings over a key file', () => {
    const { credentials } = check(
      { ...CREDS, COINBASE_API_KEY_FILE: '/keys/cdp.json', ...CONFIRM },
      { profile: 'prod' },
    );
    expect(credentials).toEqual({ apiKeyName: 'organizations/o/apiKeys/k', apiPrivateKey: 'pem', source: 'settings' });
  });
});
