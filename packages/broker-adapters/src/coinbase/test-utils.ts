import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { ManualClock, MemoryLogger } from '@perps-bot/core';
import { expect } from 'vitest';
import type { CoinbaseCredentials } from './auth/credentials.js';
import { createCoinbaseBroker } from './factory.js';
import type { CoinbaseBrokerOptions } from './options.js';

export const API_ORIGIN = 'https://api.coinbase.com';
export const BASE = '/api/v3/brokerage';
const KEY_NAME = 'organizations/11111111-aaaa-4bbb-8ccc-222222222222/apiKeys/33333333-dddd-4eee-8fff-444444444444';

/** A fixture, freshly parsed, so a test may change it without touching the next one. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.json`, import.meta.url), 'utf8')) as T;
}

interface TestKey {
  readonly credentials: CoinbaseCredentials;
  readonly publicKey: KeyObject;
  /** Substrings that must never be seen outside the signer: the key name and a slice of the PEM body. */
  readonly secrets: readonly string[];
}

/** A throwaway CDP-style key: EC P-256 in SEC1 PEM (like Coinbase's), or Ed25519 in PKCS8 PEM. */
export function testKey(type: 'ec' | 'ed25519' = 'ec'): TestKey {
  const pair = type === 'ec' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('ed25519');
  const pem = pair.privateKey.export({ format: 'pem', type: type === 'ec' ? 'sec1' : 'pkcs8' }).toString();
  const body = pem
    .split('\n')
    .filter((line) => line && !line.startsWith('-----'))
    .join('');
  return {
    credentials: { keyName: KEY_NAME, privateKey: pem },
    publicKey: pair.publicKey,
    secrets: [KEY_NAME, '33333333-dddd-4eee-8fff-444444444444', body.slice(8, 40), pem],
  };
}

interface Harness {
  readonly broker: ReturnType<typeof createCoinbaseBroker>;
  readonly clock: ManualClock;
  readonly logger: MemoryLogger;
  /** Every wait the adapter asked for, in ms, in order (none of them really waited). */
  readonly sleeps: number[];
  readonly key: TestKey;
}

export const START = '2026-04-07T14:30:00.000Z';

/** A Coinbase adapter with a manual clock, instant sleeps, fixed jitter and a recording logger. */
export function harness(
  options: Partial<CoinbaseBrokerOptions> & { keyType?: 'ec' | 'ed25519' | 'none' } = {},
): Harness {
  const { keyType = 'ec', ...rest } = options;
  const clock = new ManualClock(START);
  const logger = new MemoryLogger();
  const sleeps: number[] = [];
  const key = testKey(keyType === 'ed25519' ? 'ed25519' : 'ec');
  const broker = createCoinbaseBroker({
    credentials: keyType === 'none' ? undefined : key.credentials,
    clock,
    logger,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock.advance(ms);
    },
    timeoutMs: 1_000,
    ...rest,
  });
  return { broker, clock, logger, sleeps, key };
}

/** Everything a thrown error could show a log or a person: message, stack, details, causes, inspect output. */
export function serialiseError(error: unknown): string {
  const parts: string[] = [inspect(error, { depth: 10, showHidden: true })];
  let current: unknown = error;
  for (let i = 0; i < 5 && current; i++) {
    if (current instanceof Error) {
      parts.push(current.message, current.stack ?? '', JSON.stringify({ ...current }));
      current = (current as Error & { cause?: unknown }).cause;
    } else {
      parts.push(JSON.stringify(current) ?? String(current));
      current = undefined;
    }
  }
  return parts.join('\n');
}

export function expectNoSecrets(text: string, secrets: readonly string[]): void {
  for (const secret of secrets) expect(text.includes(secret), `secret leaked: ${secret.slice(0, 12)}…`).toBe(false);
}

export async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}
