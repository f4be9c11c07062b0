export { MarkWindows, type MarkAppend } from './mark-windows.js';
export {
  MarketDataService,
  type BatchQuoteSource,
  type MarketDataServiceOptions,
  type FetchedQuote,
} from './market-data-service.js';
export { StreamingService, type StreamingServiceOptions } from './streaming/streaming-service.js';
export { MarketActivityMonitor, type MarketHeartbeat } from './streaming/market-activity-monitor.js';
export { streamSourceOf } from './streaming/stream-source.js';
