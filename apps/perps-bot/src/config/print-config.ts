import { Decimal, decimalToString } from '@perps-bot/core';
import { resolveStoragePaths } from '@perps-bot/stores';
import { featureFlags } from './feature-flags.js';
import { riskSettingsView } from './risk-settings.js';
import type { LoadedConfig } from './load-config.js';
import { SETTINGS, type SettingSpec } from './settings.js';

export interface ConfigView {
  readonly settings: Record<string, { value: string; source: string }>;
  readonly featureFlags: Record<string, { value: string; effective: string; source: string }>;
  /** Every RISK_* setting the risk manager reads, with its effective value and source. */
  readonly risk: Record<string, { env: string; value: string; source: string }>;
  readonly storage: { storageDir: string; eventStoreDir: string };
}

function display(spec: SettingSpec, value: unknown): string {
  if (value === undefined) return '(not set)';
  if (spec.secret) return '(set, masked)';
  if (value instanceof Decimal) return decimalToString(value);
  if (Array.isArray(value)) return value.join(',');
  return String(value);
}

/** The effective configuration with secrets masked, each value with its source. */
export function configView(loaded: LoadedConfig, env: NodeJS.ProcessEnv, cwd = process.cwd()): ConfigView {
  const settings: ConfigView['settings'] = {};
  const config = loaded.config as Record<string, unknown>;
  for (const spec of SETTINGS as readonly SettingSpec[]) {
    const value = config[spec.key];
    settings[spec.key] = {
      value: display(spec, value),
      source: value === undefined ? '-' : ((loaded.sources as Record<string, string>)[spec.key] ?? 'default'),
    };
  }
  const flags: ConfigView['featureFlags'] = {};
  for (const flag of featureFlags(env, loaded.config.enableStreaming)) {
    flags[flag.name] = {
      value: flag.raw ?? flag.defaultValue,
      effective: flag.effective,
      source: flag.raw === undefined ? 'default' : `env ${flag.name}`,
    };
  }
  const paths = resolveStoragePaths({
    runtimeRoot: loaded.config.dataDir,
    eventStoreRoot: loaded.config.eventStoreRoot,
    profile: loaded.config.profile,
    cwd,
  });
  const risk: ConfigView['risk'] = {};
  for (const r of riskSettingsView(loaded, env))
    risk[r.key] = { env: r.env.join(' or '), value: r.value, source: r.source };
  return {
    settings,
    featureFlags: flags,
    risk,
    storage: { storageDir: paths.storageDir, eventStoreDir: paths.eventStoreDir },
  };
}

export function formatConfigView(view: ConfigView, profile: string): string {
  const rows: string[][] = [['setting', 'value', 'source']];
  for (const [key, { value, source }] of Object.entries(view.settings)) rows.push([key, value, source]);
  const flagRows: string[][] = [['feature flag', 'value', 'effect', 'source']];
  for (const [name, f] of Object.entries(view.featureFlags)) flagRows.push([name, f.value, f.effective, f.source]);
  const riskRows: string[][] = [['risk setting', 'environment', 'value', 'source']];
  for (const [key, r] of Object.entries(view.risk)) riskRows.push([key, r.env, r.value, r.source]);
  return [
    `perps-bot effective configuration (profile ${profile}); precedence: default < profile < file < env < flag`,
    '',
    table(rows),
    '',
    table(flagRows),
    '',
    table(riskRows),
    '',
    `storage   ${view.storage.storageDir} (orders.sqlite, health.json)`,
    `events    ${view.storage.eventStoreDir} (events.sqlite)`,
  ].join('\n');
}

function table(rows: readonly string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows
    .map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '))
    .join('\n');
}
