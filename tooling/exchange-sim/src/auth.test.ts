import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { generateTestCredentials, jwtUriFor, signTestJwt } from './auth.js';
import { call, startTestSim } from './test-utils.js';

// The documented error schema: {error, code, message, details}.
const errorSchema = z.object({
  error: z.string(),
  code: z.number().int(),
  message: z.string(),
  details: z.array(z.unknown()),
});

const path = '/accounts';

describe('REST JWT verification', () => {
  it('accepts a token signed with the test key for this method, host and path', async () => {
    const sim = await startTestSim();
    const res = await call(sim, 'GET', path);
    expect(res.status).toBe(200);
  });

  it('accepts an Ed25519 key as well as ES256', async () => {
    const credentials = generateTestCredentials('EdDSA');
    const sim = await startTestSim({ auth: { credentials } });
    expect((await call(sim, 'GET', path)).status).toBe(200);
  });

  it('ignores the query string in the uri claim, as the exchange does', async () => {
    const sim = await startTestSim();
    const url = new URL(`${sim.brokerageUrl}/accounts?limit=5`);
    const token = await signTestJwt(sim.credentials!, { uri: jwtUriFor('GET', url) });
    expect(jwtUriFor('GET', url)).not.toContain('?');
    expect((await call(sim, 'GET', '/accounts?limit=5', { token })).status).toBe(200);
  });

  const rejects: [string, (sim: Awaited<ReturnType<typeof startTestSim>>) => Promise<string | null>, RegExp][] = [
    ['no token', async () => null, /missing bearer token/],
    [
      'a bad signature (another key under the same name)',
      async (sim) =>
        signTestJwt(
          { ...generateTestCredentials(), keyName: sim.credentials!.keyName },
          { uri: `GET 127.0.0.1:${sim.port}/api/v3/brokerage${path}` },
        ),
      /signature verification failed/,
    ],
    [
      'an expired token',
      async (sim) =>
        signTestJwt(sim.credentials!, {
          uri: `GET 127.0.0.1:${sim.port}/api/v3/brokerage${path}`,
          nowSeconds: Date.now() / 1000 - 600,
        }),
      /expired/,
    ],
    [
      'a token not yet valid',
      async (sim) =>
        signTestJwt(sim.credentials!, {
          uri: `GET 127.0.0.1:${sim.port}/api/v3/brokerage${path}`,
          nowSeconds: Date.now() / 1000 + 600,
        }),
      /nbf/,
    ],
    [
      'the wrong uri (another path)',
      async (sim) => signTestJwt(sim.credentials!, { uri: `GET 127.0.0.1:${sim.port}/api/v3/brokerage/orders` }),
      /uri claim/,
    ],
    [
      'the wrong method in the uri',
      async (sim) => signTestJwt(sim.credentials!, { uri: `POST 127.0.0.1:${sim.port}/api/v3/brokerage${path}` }),
      /uri claim/,
    ],
    [
      'a uri with a scheme',
      async (sim) => signTestJwt(sim.credentials!, { uri: `GET http://127.0.0.1:${sim.port}/api/v3/brokerage${path}` }),
      /uri claim/,
    ],
    ['no uri claim', async (sim) => signTestJwt(sim.credentials!, {}), /missing uri/],
    [
      'the wrong issuer',
      async (sim) =>
        signTestJwt(sim.credentials!, {
          uri: `GET 127.0.0.1:${sim.port}/api/v3/brokerage${path}`,
          iss: 'coinbase-cloud',
        }),
      /iss/,
    ],
    [
      'a sub that is not the key name',
      async (sim) =>
        signTestJwt(sim.credentials!, {
          uri: `GET 127.0.0.1:${sim.port}/api/v3/brokerage${path}`,
          sub: 'someone-else',
        }),
      /sub/,
    ],
    [
      'an unknown key name',
      async (sim) =>
        signTestJwt(
          { ...sim.credentials!, keyName: 'organizations/x/apiKeys/unknown' },
          { uri: `GET 127.0.0.1:${sim.port}/api/v3/brokerage${path}` },
        ),
      /unknown key/,
    ],
    ['garbage', async () => 'not.a.jwt', /malformed token|invalid token/],
  ];

  it.each(rejects)('rejects %s with 401 and the documented error body', async (_name, makeToken, reason) => {
    const sim = await startTestSim();
    const res = await call(sim, 'GET', path, { token: await makeToken(sim) });
    expect(res.status).toBe(401);
    const body = errorSchema.parse(res.json);
    expect(body.error).toBe('UNAUTHENTICATED');
    expect(body.message).toMatch(reason);
    expect(sim.stats().faults.auth_failed).toBe(1);
  });

  it('never puts the token in the error body', async () => {
    const sim = await startTestSim();
    const token = await signTestJwt(sim.credentials!, { uri: 'GET wrong/host' });
    const res = await call(sim, 'GET', path, { token });
    expect(res.status).toBe(401);
    expect(res.text).not.toContain(token);
  });

  it('trusts a key given as a PEM public key, and accepts extra hosts such as api.coinbase.com', async () => {
    const pair = generateKeyPairSync('ec', {
      namedCurve: 'prime256v1',
      privateKeyEncoding: { type: 'sec1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const keyName = 'organizations/o/apiKeys/k';
    const sim = await startTestSim({
      auth: { keys: [{ keyName, publicKey: pair.publicKey }] },
      jwtHosts: ['api.coinbase.com'],
    });
    expect(sim.credentials).toBeUndefined();
    const token = await signTestJwt(
      { keyName, privateKeyPem: pair.privateKey, algorithm: 'ES256' },
      { uri: `GET api.coinbase.com/api/v3/brokerage${path}` },
    );
    expect((await call(sim, 'GET', path, { token })).status).toBe(200);
  });

  it('serves public routes (/time, /market/*) without a token, and everything when auth is off', async () => {
    const sim = await startTestSim();
    expect((await call(sim, 'GET', '/time', { token: null })).status).toBe(200);
    expect((await call(sim, 'GET', '/market/products/BTC-USD', { token: null })).status).toBe(200);
    expect((await call(sim, 'GET', '/products/BTC-USD', { token: null })).status).toBe(401);
    const open = await startTestSim({ auth: false });
    expect((await call(open, 'GET', '/products/BTC-USD', { token: null })).status).toBe(200);
  });
});
