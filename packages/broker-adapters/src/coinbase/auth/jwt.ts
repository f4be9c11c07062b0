import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import type { CdpKey } from './credentials.js';

/** Coinbase rejects tokens older than two minutes; the SDK signs for exactly that long. */
const JWT_LIFETIME_SECONDS = 120;

interface JwtOptions {
  /** Seconds since the epoch; comes from the adapter's Clock so tests can pin it. */
  readonly nowSeconds: number;
  /** 64 hex characters by default, like the official SDK. */
  readonly nonce?: string;
}

/**
 * The `uri` claim: `"<METHOD> <host><path>"` with no scheme and no query string, e.g.
 * `GET api.coinbase.com/api/v3/brokerage/accounts`. The host is the API's own, so a loopback simulator
 * sees its host:port here.
 */
export function jwtUri(method: string, url: URL): string {
  return `${method.toUpperCase()} ${url.host}${url.pathname}`;
}

/** A bearer token for one REST request. Build a new one per request (and per retry): they expire. */
export function signRestJwt(key: CdpKey, method: string, url: URL, options: JwtOptions): Promise<string> {
  return sign(key, { uri: jwtUri(method, url) }, options);
}

/** The token placed in a WebSocket subscribe message: the same claims without `uri`. */
export function signWebSocketJwt(key: CdpKey, options: JwtOptions): Promise<string> {
  return sign(key, {}, options);
}

function sign(key: CdpKey, extra: Record<string, string>, options: JwtOptions): Promise<string> {
  const nbf = Math.floor(options.nowSeconds);
  return new SignJWT({ iss: 'cdp', sub: key.keyName, ...extra })
    .setProtectedHeader({
      alg: key.algorithm,
      kid: key.keyName,
      nonce: options.nonce ?? randomBytes(32).toString('hex'),
      typ: 'JWT',
    })
    .setNotBefore(nbf)
    .setExpirationTime(nbf + JWT_LIFETIME_SECONDS)
    .sign(key.key);
}
