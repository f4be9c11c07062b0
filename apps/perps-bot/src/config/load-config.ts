import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from '@perps-bot/core';
import type { Profile } from '@perps-bot/orchestration';
import type { ZodIssue } from 'zod';
import { invalidSetting, showValue } from './config-error.js';
import { envLayer, mergeLayers, objectLayer, parseText, type Layer } from './layers.js';
import { COINBASE_DEFAULT_SYMBOLS, DEFAULTS, DEV_FAST_INTERVAL, PROFILE_LAYERS, PROFILE_LOCKS } from './profiles.js';
import { configSchema, type AppConfig } from './schema.js';
import { PROFILES, SETTING_KEYS, settingSpec, type SettingKey } from './settings.js';

/** The command-line options that are settings (all text, as commander hands them over, except switches). */
export interface FlagValues {
  readonly profile?: string | undefined;
  readonly broker?: string | undefined;
  readonly symbols?: string | undefined;
  readonly dryRun?: boolean | undefined;
  readonly interval?: string | undefined;
  readonly devFast?: boolean | undefined;
  readonly config?: string | undefined;
  readonly dataDir?: string | undefined;
  readonly apiUrl?: string | undefined;
  readonly wsUrl?: string | undefined;
  readonly logLevel?: string | undefined;
  readonly warmUp?: boolean | undefined;
  readonly statusServer?: boolean | undefined;
  readonly statusPort?: string | undefined;
}

export interface LoadConfigInput {
  readonly flags?: FlagValues;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly readFile?: (path: string) => string;
}

export interface LoadedConfig {
  readonly config: AppConfig;
  /** Where each setting's value came from: "default", "profile canary", "file ./bot.json", "env X", "flag --y". */
  readonly sources: Readonly<Record<SettingKey, string>>;
  readonly configFile: string | undefined;
}

const FLAG_SETTINGS: ReadonlyArray<readonly [keyof FlagValues, SettingKey, string]> = [
  ['profile', 'profile', '--profile'],
  ['broker', 'broker', '--broker'],
  ['symbols', 'symbols', '--symbols'],
  ['interval', 'updateInterval', '--interval'],
  ['dataDir', 'dataDir', '--data-dir'],
  ['apiUrl', 'apiUrl', '--api-url'],
  ['wsUrl', 'wsUrl', '--ws-url'],
  ['logLevel', 'logLevel', '--log-level'],
  ['statusPort', 'statusPort', '--status-port'],
];

/** Switches that only apply when given (never an implied false over a profile or the environment). */
const SWITCH_SETTINGS: ReadonlyArray<readonly [keyof FlagValues, SettingKey, string]> = [
  ['warmUp', 'warmUp', '--warm-up'],
  ['statusServer', 'statusServer', '--status-server'],
];

/**
 * defaults < profile < config file < environment < flags, then validation. Every failure is a ConfigError
 * whose message is one line naming the setting, its value, the allowed values and where it was set.
 */
export function loadConfig(input: LoadConfigInput = {}): LoadedConfig {
  const flags = input.flags ?? {};
  const env = input.env ?? process.env;
  const cwd = input.cwd ?? process.cwd();
  const read = input.readFile ?? ((path: string) => readFileSync(path, 'utf8'));

  const configFile = flags.config ?? (env.PERPS_CONFIG_FILE?.trim() || undefined);
  const fileLayer = configFile
    ? readConfigFile(resolve(cwd, configFile), configFile, read)
    : { values: {}, sources: {} };
  const environment = envLayer(env);
  const flagLayer = flagsLayer(flags);

  // The profile is chosen first, by the same precedence, because it decides the layer under the file.
  const chosen = mergeLayers([
    objectLayer({ profile: DEFAULTS.profile }, 'default'),
    fileLayer,
    environment,
    flagLayer,
  ]);
  const profile = chosen.values.profile;
  if (typeof profile !== 'string' || !(PROFILES as readonly string[]).includes(profile)) {
    throw invalidSetting('profile', profile, chosen.sources.profile);
  }
  const profileName = profile as Profile;

  const devFast: Layer = { values: {}, sources: {} };
  if (flags.devFast) {
    if (profileName !== 'dev') {
      throw new ConfigError(
        'updateInterval',
        `--dev-fast only applies to the dev profile (profile is "${profileName}", set by ${chosen.sources.profile})`,
      );
    }
    devFast.values.updateInterval = DEV_FAST_INTERVAL;
    devFast.sources.updateInterval = 'flag --dev-fast';
  }

  const merged = mergeLayers([
    objectLayer(DEFAULTS as Record<string, unknown>, 'default'),
    objectLayer(PROFILE_LAYERS[profileName] as Record<string, unknown>, `profile ${profileName}`),
    fileLayer,
    environment,
    devFast,
    flagLayer,
  ]);
  coinbaseDefaultSymbols(merged);
  normalise(merged.values);
  checkLocks(profileName, merged);

  const result = configSchema.safeParse(merged.values);
  if (!result.success) throw issueToError(result.error.issues[0], merged);
  return { config: result.data, sources: merged.sources as Record<SettingKey, string>, configFile };
}

function flagsLayer(flags: FlagValues): Layer {
  const values: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  for (const [option, key, flag] of FLAG_SETTINGS) {
    const raw = flags[option];
    if (typeof raw !== 'string') continue;
    values[key] = parseText(settingSpec(key)?.kind ?? 'string', raw);
    sources[key] = `flag ${flag}`;
  }
  for (const [option, key, flag] of SWITCH_SETTINGS) {
    if (flags[option] !== true) continue;
    values[key] = true;
    sources[key] = `flag ${flag}`;
  }
  if (typeof flags.dryRun === 'boolean') {
    // Only when given: an absent --dry-run must not override the profile (the reference sent false, §10).
    values.dryRun = flags.dryRun;
    sources.dryRun = flags.dryRun ? 'flag --dry-run' : 'flag --no-dry-run';
  }
  return { values, sources };
}

function readConfigFile(path: string, shown: string, read: (path: string) => string): Layer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(read(path));
  } catch (error) {
    const reason =
      error instanceof SyntaxError
        ? `not valid JSON: ${error.message}`
        : `cannot read it: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
    throw new ConfigError('config', `invalid config file ${shown} (${reason})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError('config', `invalid config file ${shown} (expected a JSON object of settings)`);
  }
  const object = parsed as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!(SETTING_KEYS as readonly string[]).includes(key)) {
      throw new ConfigError(key, `unknown setting "${key}" in ${shown} (allowed: ${SETTING_KEYS.join(', ')})`);
    }
  }
  return objectLayer(object, `file ${shown}`);
}

/**
 * The embedded symbols are the deterministic broker's (BTC-PERP, ETH-PERP), which Coinbase does not list: with
 * `broker: coinbase` and no symbols set anywhere, the defaults are the US perpetual-style futures instead.
 */
function coinbaseDefaultSymbols(merged: Layer): void {
  if (merged.values.broker !== 'coinbase' || merged.sources.symbols !== 'default') return;
  merged.values.symbols = [...COINBASE_DEFAULT_SYMBOLS];
  merged.sources.symbols = 'default (coinbase)';
}

/** Symbols uppercased and de-duplicated (first occurrence kept); trading days lowercased likewise. */
function normalise(values: Record<string, unknown>): void {
  const dedupe = (list: unknown, fold: (s: string) => string) =>
    Array.isArray(list) ? [...new Set(list.map((s) => (typeof s === 'string' ? fold(s.trim()) : s)))] : list;
  values.symbols = dedupe(values.symbols, (s) => s.toUpperCase());
  if (values.tradingDays !== undefined)
    values.tradingDays = dedupe(values.tradingDays, (s) => s.toLowerCase().slice(0, 3));
}

function checkLocks(profile: Profile, merged: Layer): void {
  const layer = PROFILE_LAYERS[profile] as Record<string, unknown>;
  for (const key of PROFILE_LOCKS[profile]) {
    const locked = layer[key];
    const value = merged.values[key];
    if (JSON.stringify(value) !== JSON.stringify(locked)) {
      throw invalidSetting(
        key,
        value,
        merged.sources[key],
        `locked to ${showValue(key, locked)} by the ${profile} profile`,
      );
    }
  }
}

function issueToError(issue: ZodIssue | undefined, merged: Layer): ConfigError {
  const key = String(issue?.path[0] ?? 'config');
  const index = issue?.path[1];
  const whole = merged.values[key];
  const value = typeof index === 'number' && Array.isArray(whole) ? whole[index] : whole;
  return invalidSetting(key, value, merged.sources[key] ?? 'default');
}
