import { ConfigError } from '@perps-bot/core';
import { settingSpec } from './settings.js';

/** How a value is shown in an error: JSON (strings quoted), never a secret. */
export function showValue(key: string, value: unknown): string {
  if (settingSpec(key)?.secret) return '[masked]';
  if (value === undefined) return 'not set';
  return JSON.stringify(value) ?? String(value);
}

/** `invalid setting "interval": -1 (allowed: …; set by --interval)`: the setting, the value, what would do. */
export function invalidSetting(key: string, value: unknown, source: string | undefined, allowed?: string): ConfigError {
  const spec = settingSpec(key);
  const allowedText = allowed ?? spec?.allowed ?? 'see perps-bot config --help';
  const from = source ? `; set by ${source}` : '';
  return new ConfigError(key, `invalid setting "${key}": ${showValue(key, value)} (allowed: ${allowedText}${from})`, {
    details: { source },
  });
}
