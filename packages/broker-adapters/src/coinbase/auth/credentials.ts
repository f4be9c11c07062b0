import { createPrivateKey, type KeyObject } from 'node:crypto';
import { ConfigError } from '@perps-bot/core';

/** A CDP API key as Coinbase hands it out: the key name and its private key (PEM, or base64 for Ed25519). */
export interface CoinbaseCredentials {
  /** `organizations/{org}/apiKeys/{id}` or a bare key id; becomes the JWT `kid` and `sub`. */
  readonly keyName: string;
  /** EC P-256 PEM (SEC1 or PKCS8), Ed25519 PKCS8 PEM, or base64 of a 32-byte seed / 64-byte seed||public key. */
  readonly privateKey: string;
}

export type SigningAlgorithm = 'ES256' | 'EdDSA';

/** What the JWT builder needs: the key, already parsed, behind a type that refuses to print it. */
export interface CdpKey {
  readonly algorithm: SigningAlgorithm;
  /** The key name. Only the JWT builder reads it; it is never logged. */
  readonly keyName: string;
  readonly key: KeyObject;
}

// PKCS8 wrapper of a raw Ed25519 seed (RFC 8410): the fixed DER prefix, then the 32 seed bytes.
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/**
 * Parses the key once, up front, so a bad secret fails at startup with a ConfigError that names the setting
 * and never quotes the value (not even in `cause`: crypto errors are dropped on purpose).
 */
export function loadCdpKey(credentials: CoinbaseCredentials): CdpKey {
  const keyName = credentials.keyName.trim();
  if (keyName === '') throw new ConfigError('COINBASE_API_KEY_NAME', 'The Coinbase API key name is empty');
  const key = parsePrivateKey(credentials.privateKey);
  const algorithm = algorithmFor(key);
  const parsed = { algorithm, keyName, key };
  // The object may end up in a log through carelessness (a `{ options }` field); make that harmless.
  Object.defineProperties(parsed, {
    keyName: { enumerable: false, value: keyName },
    key: { enumerable: false, value: key },
    toJSON: { enumerable: false, value: () => ({ algorithm, keyName: '[redacted]' }) },
    [Symbol.for('nodejs.util.inspect.custom')]: {
      enumerable: false,
      value: () => `CdpKey { algorithm: '${algorithm}', keyName: [redacted] }`,
    },
  });
  return parsed;
}

function parsePrivateKey(secret: string): KeyObject {
  // Keys pasted into .env files usually arrive with literal "\n" sequences instead of newlines.
  const text = secret.trim().replace(/\\n/g, '\n');
  if (text === '') throw new ConfigError('COINBASE_API_PRIVATE_KEY', 'The Coinbase API private key is empty');
  try {
    if (text.includes('-----BEGIN')) return createPrivateKey({ key: text, format: 'pem' });
    const raw = Buffer.from(text, 'base64');
    if (raw.length === 32 || raw.length === 64) {
      const der = Buffer.concat([ED25519_PKCS8_PREFIX, raw.subarray(0, 32)]);
      return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    }
  } catch {
    // fall through: the crypto error can quote the input, so it is not kept
  }
  throw new ConfigError(
    'COINBASE_API_PRIVATE_KEY',
    'The Coinbase API private key could not be read: expected an EC P-256 or Ed25519 PEM, or a base64 Ed25519 seed',
  );
}

function algorithmFor(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  throw new ConfigError(
    'COINBASE_API_PRIVATE_KEY',
    `The Coinbase API private key has an unsupported type (${key.asymmetricKeyType ?? 'unknown'}); CDP keys are EC P-256 or Ed25519`,
  );
}
