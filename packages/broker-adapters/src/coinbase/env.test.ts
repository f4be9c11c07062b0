import { ConfigError } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { coinbaseOptionsFromEnv } from './env.js';
import { expectNoSecrets, serialiseError } from './test-utils.js';

describe('coinbaseOptionsFromEnv', () => {
  it('reads the key pair, URL overrides and the INTX portfolio', () => {
    expect(
      coinbaseOptionsFromEnv({
        COINBASE_API_KEY: 'organizations/o/apiKeys/k',
        COINBASE_API_SECRET: 'PEM',
        COINBASE_API_URL: 'http://127.0.0.1:4010',
        COINBASE_WS_URL: 'ws://127.0.0.1:4011',
        COINBASE_INTX_PORTFOLIO_UUID: 'p-1',
      }),
    ).toEqual({
      credentials: { keyName: 'organizations/o/apiKeys/k', privateKey: 'PEM' },
      apiUrl: 'http://127.0.0.1:4010',
      wsUrl: 'ws://127.0.0.1:4011',
      derivatives: { intxPortfolioUuid: 'p-1' },
    });
  });

  it('runs unauthenticated with nothing set and treats blanks as unset', () => {
    expect(coinbaseOptionsFromEnv({ COINBASE_API_KEY: ' ', COINBASE_API_SECRET: '' })).toEqual({
      credentials: undefined,
      apiUrl: undefined,
      wsUrl: undefined,
      derivatives: undefined,
    });
  });

  it('refuses half a key pair, naming the missing variable and not the present secret', () => {
    let error: unknown;
    try {
      coinbaseOptionsFromEnv({ COINBASE_API_SECRET: 'SUPER-SECRET-PEM' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).setting).toBe('COINBASE_API_KEY');
    expectNoSecrets(serialiseError(error), ['SUPER-SECRET-PEM']);
  });
});
