export { loadConfig, type FlagValues, type LoadedConfig } from './load-config.js';
export type { AppConfig } from './schema.js';
export { SETTINGS, PROFILES, BROKERS, LOG_LEVELS, type SettingSpec } from './settings.js';
export { DEFAULTS } from './profiles.js';
export { preflight } from './preflight.js';
export type { Credentials } from './credentials.js';
export { featureFlags } from './feature-flags.js';
export { configView, formatConfigView } from './print-config.js';
