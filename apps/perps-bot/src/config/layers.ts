import { SETTINGS, settingSpec, type SettingKind, type SettingSpec } from './settings.js';

/** A partial configuration from one source, with where each value came from. */
export interface Layer {
  readonly values: Record<string, unknown>;
  readonly sources: Record<string, string>;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/**
 * Text (an environment variable or a flag) → the setting's type. Text that does not parse is passed on
 * unchanged so validation reports it with the setting's name and allowed values, never silently dropped.
 */
export function parseText(kind: SettingKind, text: string): unknown {
  const t = text.trim();
  switch (kind) {
    case 'boolean': {
      const lower = t.toLowerCase();
      return TRUE.has(lower) ? true : FALSE.has(lower) ? false : t;
    }
    case 'number':
    case 'integer':
      return NUMBER.test(t) ? Number(t) : t;
    case 'list':
      return t
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
    default:
      return t;
  }
}

/** The environment layer: each setting's variables, the first one set (and not empty) wins. */
export function envLayer(env: NodeJS.ProcessEnv): Layer {
  const values: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const spec of SETTINGS as readonly SettingSpec[]) {
    for (const name of spec.env ?? []) {
      const raw = env[name];
      if (raw === undefined || raw.trim() === '') continue;
      values[spec.key] = parseText(spec.kind, raw);
      sources[spec.key] = `env ${name}`;
      break;
    }
  }
  // The reference's broker switches, below an explicit BROKER.
  if (values.broker === undefined) {
    for (const [name, broker] of [
      ['PERPS_FORCE_MOCK', 'deterministic'],
      ['PERPS_PAPER', 'paper'],
    ] as const) {
      if (parseText('boolean', env[name] ?? '') === true) {
        values.broker = broker;
        sources.broker = `env ${name}`;
        break;
      }
    }
  }
  return { values, sources };
}

/** Values a config file or a profile gives as JSON; lists may also be written as "A,B". */
export function objectLayer(object: Record<string, unknown>, source: string): Layer {
  const values: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const [key, value] of Object.entries(object)) {
    if (value === undefined) continue;
    const spec = settingSpec(key);
    values[key] = spec?.kind === 'list' && typeof value === 'string' ? parseText('list', value) : value;
    sources[key] = source;
  }
  return { values, sources };
}

/** Upper layers win, key by key. */
export function mergeLayers(layers: readonly Layer[]): Layer {
  const values: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const layer of layers) {
    Object.assign(values, layer.values);
    Object.assign(sources, layer.sources);
  }
  return { values, sources };
}
