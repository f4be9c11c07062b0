import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify, errors as joseErrors } from 'jose';

/**
 * A key pair made for one simulator run. Generated at startup, never written to disk, never a real CDP key:
 * the names say "sim-test" so nobody mistakes it for one.
 */
export interface TestCredentials {
  /** The CDP key name the simulator accepts (`kid` and `sub` of the JWT). */
  readonly keyName: string;
  /** SEC1 PEM (`-----BEGIN EC PRIVATE KEY-----`) for ES256, PKCS8 PEM for Ed25519: what Coinbase hands out. */
  readonly privateKeyPem: string;
  readonly publicKey: KeyObject;
  readonly algorithm: 'ES256' | 'EdDSA';
}

export function generateTestCredentials(
  algorithm: 'ES256' | 'EdDSA' = 'ES256',
  keyName = 'organizations/sim-test-org/apiKeys/sim-test-key',
): TestCredentials {
  if (algorithm === 'EdDSA') {
    const pair = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    return { keyName, privateKeyPem: pair.privateKey, publicKey: createPublicKey(pair.publicKey), algorithm };
  }
  const pair = generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'sec1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { keyName, privateKeyPem: pair.privateKey, publicKey: createPublicKey(pair.publicKey), algorithm };
}

/** A key the simulator trusts: its name and public key (PEM or KeyObject). */
export interface TrustedKey {
  readonly keyName: string;
  readonly publicKey: KeyObject | string;
}

export interface JwtCheck {
  readonly ok: boolean;
  /** Why it failed, for the 401 body and the simulator's stats; never echoes the token. */
  readonly reason?: string;
}

interface VerifyOptions {
  /** `"<METHOD> <host><path>"` values the `uri` claim may hold; omitted for WebSocket tokens. */
  readonly expectedUris?: readonly string[];
  readonly nowSeconds: number;
  /** Seconds of clock skew tolerated on nbf/exp. */
  readonly clockToleranceSeconds?: number;
}

/**
 * Checks a CDP JWT the way the exchange is documented to: a known key (kid = sub = key name), a valid ES256 or
 * EdDSA signature, iss "cdp", nbf/exp around now and, for REST, `uri` = method + host + path with no query.
 */
export async function verifyCdpJwt(
  token: string,
  keys: ReadonlyMap<string, KeyObject>,
  options: VerifyOptions,
): Promise<JwtCheck> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    return { ok: false, reason: 'malformed token' };
  }
  const key = kid === undefined ? undefined : keys.get(kid);
  if (kid === undefined || !key) return { ok: false, reason: 'unknown key' };
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['ES256', 'EdDSA'],
      issuer: 'cdp',
      subject: kid,
      requiredClaims: ['nbf', 'exp', 'sub'],
      currentDate: new Date(options.nowSeconds * 1000),
      clockTolerance: options.clockToleranceSeconds ?? 5,
    });
    if (options.expectedUris) {
      const uri = payload.uri;
      if (typeof uri !== 'string') return { ok: false, reason: 'missing uri claim' };
      if (!options.expectedUris.includes(uri)) return { ok: false, reason: 'uri claim does not match the request' };
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: describeJoseError(error) };
  }
}

function describeJoseError(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'token expired';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'signature verification failed';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim ${error.claim} invalid (${error.reason})`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  return 'invalid token';
}

export function trustedKeyMap(keys: readonly TrustedKey[]): Map<string, KeyObject> {
  return new Map(
    keys.map((k) => [k.keyName, typeof k.publicKey === 'string' ? createPublicKey(k.publicKey) : k.publicKey]),
  );
}

/**
 * Signs a token as a CDP client would: for tests and benchmarks that talk to the simulator without the adapter.
 * `uri` is `"<METHOD> <host><path>"` for REST; leave it out for a WebSocket subscribe.
 */
export async function signTestJwt(
  credentials: Pick<TestCredentials, 'keyName' | 'privateKeyPem' | 'algorithm'>,
  claims: { uri?: string; nowSeconds?: number; lifetimeSeconds?: number; iss?: string; sub?: string } = {},
): Promise<string> {
  const now = Math.floor(claims.nowSeconds ?? Date.now() / 1000);
  const payload: Record<string, string> = { iss: claims.iss ?? 'cdp', sub: claims.sub ?? credentials.keyName };
  if (claims.uri !== undefined) payload.uri = claims.uri;
  return new SignJWT(payload)
    .setProtectedHeader({
      alg: credentials.algorithm,
      kid: credentials.keyName,
      nonce: randomBytes(32).toString('hex'),
      typ: 'JWT',
    })
    .setNotBefore(now)
    .setExpirationTime(now + (claims.lifetimeSeconds ?? 120))
    .sign(privateKeyFor(credentials.privateKeyPem));
}

// Parsing a PEM costs more than signing with it; a client signs a token per request, so keep parsed keys.
const parsedKeys = new Map<string, KeyObject>();
function privateKeyFor(pem: string): KeyObject {
  let key = parsedKeys.get(pem);
  if (!key) {
    key = createPrivateKey(pem);
    parsedKeys.set(pem, key);
  }
  return key;
}

/** The REST `uri` claim for a URL: method, host and path, no scheme, no query. */
export function jwtUriFor(method: string, url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  return `${method.toUpperCase()} ${u.host}${u.pathname}`;
}
