import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { ConfigError } from '@perps-bot/core';
import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { expectNoSecrets, serialiseError, testKey } from '../test-utils.js';
import { loadCdpKey } from './credentials.js';
import { jwtUri, signRestJwt, signWebSocketJwt } from './jwt.js';

const NOW = 1_775_572_200;
const URL_ACCOUNTS = new URL('https://api.coinbase.com/api/v3/brokerage/accounts?limit=250&cursor=abc');

describe('CDP JWT', () => {
  it('signs ES256 with the documented header and claims, verifiable with the public key', async () => {
    const key = testKey('ec');
    const token = await signRestJwt(loadCdpKey(key.credentials), 'get', URL_ACCOUNTS, { nowSeconds: NOW });
    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ alg: 'ES256', kid: key.credentials.keyName, typ: 'JWT' });
    expect(header.nonce).toMatch(/^[0-9a-f]{64}$/);
    const { payload } = await jwtVerify(token, key.publicKey, { currentDate: new Date(NOW * 1000) });
    expect(payload).toEqual({
      iss: 'cdp',
      sub: key.credentials.keyName,
      nbf: NOW,
      exp: NOW + 120,
      // method upper-cased, host + path, no scheme, no query string
      uri: 'GET api.coinbase.com/api/v3/brokerage/accounts',
    });
  });

  it('uses a fresh nonce for every token', async () => {
    const key = loadCdpKey(testKey('ec').credentials);
    const a = decodeProtectedHeader(await signRestJwt(key, 'GET', URL_ACCOUNTS, { nowSeconds: NOW }));
    const b = decodeProtectedHeader(await signRestJwt(key, 'GET', URL_ACCOUNTS, { nowSeconds: NOW }));
    expect(a.nonce).not.toEqual(b.nonce);
  });

  it('signs EdDSA with an Ed25519 PEM key and with a raw base64 seed', async () => {
    const key = testKey('ed25519');
    const token = await signRestJwt(loadCdpKey(key.credentials), 'POST', URL_ACCOUNTS, { nowSeconds: NOW });
    expect(decodeProtectedHeader(token).alg).toBe('EdDSA');
    await expect(jwtVerify(token, key.publicKey, { currentDate: new Date(NOW * 1000) })).resolves.toBeTruthy();

    const pair = generateKeyPairSync('ed25519');
    const der = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
    const seed = der.subarray(der.length - 32);
    const fromSeed = loadCdpKey({ keyName: 'k', privateKey: seed.toString('base64') });
    const seeded = await signWebSocketJwt(fromSeed, { nowSeconds: NOW });
    const { payload } = await jwtVerify(seeded, pair.publicKey, { currentDate: new Date(NOW * 1000) });
    expect(payload.uri).toBeUndefined(); // WebSocket tokens carry no uri
    expect(payload.sub).toBe('k');
  });

  it('accepts a PEM whose newlines were escaped in an .env file', async () => {
    const key = testKey('ec');
    const escaped = key.credentials.privateKey.replace(/\n/g, '\\n');
    const token = await signRestJwt(loadCdpKey({ ...key.credentials, privateKey: escaped }), 'GET', URL_ACCOUNTS, {
      nowSeconds: NOW,
    });
    await expect(jwtVerify(token, key.publicKey, { currentDate: new Date(NOW * 1000) })).resolves.toBeTruthy();
  });

  it('rejects an unreadable or unsupported key with a ConfigError that quotes nothing of it', () => {
    const garbage = '-----BEGIN EC PRIVATE KEY-----\nTOTALLYSECRETNOTAKEY\n-----END EC PRIVATE KEY-----';
    const error = catchSync(() => loadCdpKey({ keyName: 'organizations/o/apiKeys/SECRETNAME', privateKey: garbage }));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).setting).toBe('COINBASE_API_PRIVATE_KEY');
    expectNoSecrets(serialiseError(error), ['TOTALLYSECRETNOTAKEY', 'SECRETNAME']);

    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' });
    expect(() => loadCdpKey({ keyName: 'k', privateKey: rsa.toString() })).toThrow(/unsupported type \(rsa\)/);
    expect(() => loadCdpKey({ keyName: ' ', privateKey: rsa.toString() })).toThrow(/key name is empty/);
  });

  it('never prints the key name or key when the parsed key is logged', () => {
    const key = testKey('ec');
    const parsed = loadCdpKey(key.credentials);
    expectNoSecrets(`${JSON.stringify(parsed)} ${inspect(parsed)} ${JSON.stringify({ parsed })}`, key.secrets);
    expect(parsed.keyName).toBe(key.credentials.keyName); // still usable by the signer
  });

  it('builds the uri claim from the request host and path only', () => {
    expect(jwtUri('post', new URL('http://127.0.0.1:4010/api/v3/brokerage/orders?x=1'))).toBe(
      'POST 127.0.0.1:4010/api/v3/brokerage/orders',
    );
  });
});

function catchSync(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
