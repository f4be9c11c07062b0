import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@perps-bot/core';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveCredentials } from './credentials.js';
import { loadConfig } from './load-config.js';
import { preflight } from './preflight.js';
import { isLoopbackHost } from './transport-policy.js';

const CREDS = {
  COINBASE_API_KEY_NAME: 'organizations/o/apiKeys/k',
  COINBASE_API_PRIVATE_KEY: 'pem',
  PERPS_CONFIRM_LIVE_TRADING: 'yes',
};

function start(profile: string, urls: { apiUrl?: string; wsUrl?: string }) {
  const { config } = loadConfig({ env: CREDS, flags: { profile, broker: 'coinbase', ...urls } });
  return () => preflight(config, { cwd: '/' });
}

describe('transport: canary and prod speak TLS, except to loopback', () => {
  it.each([
    [
      'prod',
      { apiUrl: 'http://api.example.com' },
      /^invalid setting "apiUrl": "http:\/\/api\.example\.com" is plain text \(http:\) to a non-loopback host on the prod profile; use https:/,
    ],
    ['canary', { apiUrl: 'http://10.0.0.5:4010' }, /"apiUrl".*use https:/],
    [
      'prod',
      { wsUrl: 'ws://feed.example.com' },
      /^invalid setting "wsUrl": "ws:\/\/feed\.example\.com" is plain text \(ws:\).*use wss:/,
    ],
    ['canary', { wsUrl: 'ws://127.example.com' }, /"wsUrl"/],
  ])('%s refuses %o', (profile, urls, message) => {
    const run = start(profile, urls);
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(message);
  });

  it.each([
    ['prod', { apiUrl: 'http://127.0.0.1:4010', wsUrl: 'ws://127.0.0.1:4011' }],
    ['canary', { apiUrl: 'http://localhost:4010', wsUrl: 'ws://[::1]:4011' }],
    ['prod', { apiUrl: 'https://api.coinbase.com', wsUrl: 'wss://advanced-trade-ws.coinbase.com' }],
    ['dev', { apiUrl: 'http://api.example.com', wsUrl: 'ws://feed.example.com' }],
  ])('%s accepts %o', (profile, urls) => {
    expect(start(profile, urls)).not.toThrow();
  });

  it('knows loopback hosts from names that only look like them', () => {
    expect(['localhost', '127.0.0.1', '127.1.2.3', '[::1]', 'a.localhost'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['127.0.0.1.example.com', '10.0.0.1', '::ffff:8.8.8.8', 'example.com'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('a key file others can read is refused, with the chmod that fixes it', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  function keyFile(mode: number): string {
    dir = mkdtempSync(join(tmpdir(), 'perps-key-'));
    const file = join(dir, 'cdp_api_key.json');
    writeFileSync(file, JSON.stringify({ name: 'organizations/o/apiKeys/k', privateKey: 'pem' }));
    chmodSync(file, mode);
    return file;
  }

  it.each([
    [0o644, 'group and others', '0644'],
    [0o640, 'its group', '0640'],
    [0o604, 'others', '0604'],
  ])('mode %s: accessible by %s', (mode, who, octal) => {
    const file = keyFile(mode);
    expect(() => resolveCredentials({ apiKeyFile: file, apiKeyName: undefined, apiPrivateKey: undefined })).toThrow(
      `invalid setting "apiKeyFile": ${file} is accessible by ${who} (mode ${octal}); a private key must be readable by its owner only: run chmod 600 ${file}`,
    );
  });

  it.each([0o600, 0o400])('mode %s is used', (mode) => {
    const file = keyFile(mode);
    expect(resolveCredentials({ apiKeyFile: file, apiKeyName: undefined, apiPrivateKey: undefined })?.source).toBe(
      `file ${file}`,
    );
  });
});
