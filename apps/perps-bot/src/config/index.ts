export { loadConfig, type FlagValues, type LoadConfigInput, type LoadedConfig } from './load-config.js';
export { configSchema, SYMBOL_PATTERN, type AppConfig, type AppConfigInput } from './schema.js';
export {
  SETTINGS,
  SETTING_KEYS,
  PROFILES,
  BROKERS,
  LOG_LEVELS,
  settingSpec,
  type SettingKey,
  type SettingSpec,
} from './settings.js';
export { DEFAULTS, PROFILE_LAYERS, PROFILE_LOCKS, DEV_FAST_INTERVAL } from './profiles.js';
export { preflight, type PreflightResult } from './preflight.js';
export { resolveCredentials, type Credentials } from './credentials.js';
export { featureFlags, type FeatureFlagView } from './feature-flags.js';
export { configView, formatConfigView, type ConfigView } from './print-config.js';
