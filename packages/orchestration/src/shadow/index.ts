export {
  ShadowMarketData,
  ShadowMismatchError,
  type ShadowOptions,
  type ShadowMarketDataOptions,
  type MarkUpdater,
} from './shadow-market-data.js';
export type { ShadowReport, ShadowResult } from './shadow-report.js';
export type { ShadowMismatch, ShadowEffect } from './compare.js';
export { QuoteTape } from './quote-tape.js';
