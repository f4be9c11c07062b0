import { hashString, mulberry32 } from '@perps-bot/core';

/**
 * A draw in [0, 1) that depends only on the seed and the keys (route, request number, fault kind…), never on
 * the order in which concurrent requests arrive. Two runs with the same seed and the same request counts per
 * route inject the same faults, whatever the interleaving across routes.
 */
export function draw(seed: number, ...keys: readonly (string | number)[]): number {
  return mulberry32(hashString(`${seed}|${keys.join('|')}`))();
}

/** True with the given probability, for this seed and these keys. */
export function chance(rate: number | undefined, seed: number, ...keys: readonly (string | number)[]): boolean {
  if (rate === undefined || rate <= 0) return false;
  if (rate >= 1) return true;
  return draw(seed, ...keys) < rate;
}

/** A deterministic UUID-shaped id (8-4-4-4-12 hex) for order ids, account ids, portfolio ids. */
export function simUuid(seed: number, kind: string, n: number | string): string {
  let hex = '';
  for (let part = 0; hex.length < 32; part++) {
    hex += hashString(`${seed}|${kind}|${n}|${part}`).toString(16).padStart(8, '0');
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export { mulberry32, hashString };
