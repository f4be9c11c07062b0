import { isIP } from 'node:net';
import { ConfigError } from '@perps-bot/core';
import type { AppConfig } from './schema.js';

/** Profiles that carry a real key and real orders: their requests (and the signed JWT in them) go over TLS. */
const TLS_ONLY_PROFILES: ReadonlySet<string> = new Set(['canary', 'prod']);

const PLAIN: Readonly<Record<string, string>> = { 'http:': 'https:', 'ws:': 'wss:' };

/** localhost, 127.0.0.0/8 or ::1: traffic that never leaves the machine (a simulator in a test or a tunnel). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * canary and prod refuse a plain-text URL (http:, ws:) unless it points at a loopback host: a signed JWT in
 * clear text is a key anyone on the path can replay until it expires. dev may use anything (it holds no key by
 * default, and its simulators run on loopback anyway).
 */
export function assertSecureTransport(config: Pick<AppConfig, 'profile' | 'apiUrl' | 'wsUrl'>): void {
  if (!TLS_ONLY_PROFILES.has(config.profile)) return;
  for (const [setting, value] of [
    ['apiUrl', config.apiUrl],
    ['wsUrl', config.wsUrl],
  ] as const) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      continue; // the schema has already refused a value that is not a URL
    }
    const secure = PLAIN[url.protocol];
    if (secure === undefined || isLoopbackHost(url.hostname)) continue;
    throw new ConfigError(
      setting,
      `invalid setting "${setting}": ${JSON.stringify(value)} is plain text (${url.protocol}) to a non-loopback host on the ${config.profile} profile; use ${secure} (plain ${url.protocol} is allowed only to localhost, 127.0.0.1 or ::1)`,
    );
  }
}
