import { ConfigError } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { coinbaseOptionsFromEnv } from './env.js';
import { expectNoSecrets, serialiseError } from './test-utils.js';

const noFile = (path: string): string => {
  throw new Error(`unexpected read of ${path}`);
};

describe('coinbaseOptionsFromEnv', () => {
  it('reads the app’s variables: key pair, URL overrides and the INTX portfolio', () => {
    expect(
      coinbaseOptionsFromEnv(
        {
          COINBASE_API_KEY_NAME: 'organizations/o/apiKeys/k',
          COINBASE_API_PRIVATE_KEY: 'PEM',
          COINBASE_API_BASE_URL: 'http://127.0.0.1:4010',
          COINBASE_WS_URL: 'ws://127.0.0.1:4011',
          COINBASE_INTX_PORTFOLIO_UUID: 'p-1',
        },
        noFile,
      ),
    ).toEqual({
      credentials: { keyName: 'organizations/o/apiKeys/k', privateKey: 'PEM' },
      apiUrl: 'http://127.0.0.1:4010',
      wsUrl: 'ws://127.0.0.1:4011',
      derivatives: { intxPortfolioUuid: 'p-1' },
    });
  });

  it('still accepts the older names as aliases, below the app’s names', () => {
    const options = coinbaseOptionsFromEnv(
      {
        COINBASE_API_KEY: 'old-name',
        COINBASE_API_SECRET: 'OLD',
        COINBASE_API_URL: 'http://127.0.0.1:1',
        COINBASE_API_BASE_URL: 'http://127.0.0.1:2',
      },
      noFile,
    );
    expect(options.credentials).toEqual({ keyName: 'old-name', privateKey: 'OLD' });
    expect(options.apiUrl).toBe('http://127.0.0.1:2');
    expect(
      coinbaseOptionsFromEnv(
        {
          COINBASE_API_KEY_NAME: 'new',
          COINBASE_API_PRIVATE_KEY: 'NEW',
          COINBASE_API_KEY: 'old',
          COINBASE_API_SECRET: 'OLD',
        },
        noFile,
      ).credentials,
    ).toEqual({
      keyName: 'new',
      privateKey: 'NEW',
    });
  });

  it('reads a CDP key file when no key pair is set', () => {
    const files: Record<string, string> = {
      '/keys/cdp.json': JSON.stringify({ name: 'organizations/o/apiKeys/f', privateKey: 'FILE-PEM' }),
    };
    const read = (path: string) => files[path] ?? noFile(path);
    expect(coinbaseOptionsFromEnv({ COINBASE_API_KEY_FILE: '/keys/cdp.json' }, read).credentials).toEqual({
      keyName: 'organizations/o/apiKeys/f',
      privateKey: 'FILE-PEM',
    });
    expect(
      coinbaseOptionsFromEnv(
        { COINBASE_API_KEY_FILE: '/keys/cdp.json', COINBASE_API_KEY_NAME: 'k', COINBASE_API_PRIVATE_KEY: 'P' },
        read,
      ).credentials?.keyName,
    ).toBe('k');
    files['/keys/cdp.json'] = '{"name": "only"}';
    expect(() => coinbaseOptionsFromEnv({ COINBASE_API_KEY_FILE: '/keys/cdp.json' }, read)).toThrow(
      /is not a CDP key file/,
    );
  });

  it('runs unauthenticated with nothing set and treats blanks as unset', () => {
    expect(coinbaseOptionsFromEnv({ COINBASE_API_KEY_NAME: ' ', COINBASE_API_PRIVATE_KEY: '' }, noFile)).toEqual({
      credentials: undefined,
      apiUrl: undefined,
      wsUrl: undefined,
      derivatives: undefined,
    });
  });

  it('refuses half a key pair, naming the missing variable and not the present secret', () => {
    let error: unknown;
    try {
      coinbaseOptionsFromEnv({ COINBASE_API_SECRET: 'SUPER-SECRET-PEM' }, noFile);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).setting).toBe('COINBASE_API_KEY_NAME');
    expectNoSecrets(serialiseError(error), ['SUPER-SECRET-PEM']);
  });
});
