import { createHash } from 'node:crypto';

/** A JSON value as it appears in a golden file (already scrubbed: no Decimal, Date, Map, undefined). */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** Copies a JSON value with every object's keys sorted, so the text of a golden file never depends on insertion order. */
export function sortKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: Json } = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key] as Json);
    return out;
  }
  return value;
}

/** The one text form of golden files: sorted keys, 2-space indent, trailing newline. */
export function canonicalJson(value: Json): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** A short, stable fingerprint of a scenario's data, stored in its golden file to detect an edited scenario. */
export function fingerprint(value: Json): string {
  return `sha256:${createHash('sha256')
    .update(JSON.stringify(sortKeys(value)))
    .digest('hex')
    .slice(0, 16)}`;
}
