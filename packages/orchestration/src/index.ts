export { PerpsBot, BOT_ID, type PerpsBotOptions } from './perps-bot.js';
export { DEFAULT_BOT_CONFIG, type BotConfig, type Profile } from './bot-config.js';
export { planModes, type ModePlan, type RestMarksMode, type StreamingMode } from './mode-plan.js';
export { ServiceRegistry, type ServiceRegistryInit } from './service-registry.js';
export { updateMarksLegacy, type LegacyMarkUpdateContext } from './legacy-mark-update.js';
export {
  startLegacyStream,
  stopLegacyStream,
  runLegacyStreamLoop,
  type LegacyStreamContext,
  type LegacyStreamHandle,
} from './legacy-stream-loop.js';
export * from './cycle/index.js';
export * from './execution/index.js';
export {
  ShadowMarketData,
  ShadowMismatchError,
  QuoteTape,
  type ShadowOptions,
  type ShadowMarketDataOptions,
  type MarkUpdater,
  type ShadowReport,
  type ShadowResult,
  type ShadowMismatch,
  type ShadowEffect,
} from './shadow/index.js';
export * from './reconciliation/index.js';
