export { MarkWindow } from './mark-window.js';
export { MarkWindows, type MarkWindowsOptions, type MarkAppend, type MarkAppendObserver } from './mark-windows.js';
export { markFromQuote, type MarkFromQuote } from './quote-mark.js';
export {
  MarketDataService,
  type BatchQuoteSource,
  type MarketDataServiceOptions,
  type FetchedQuote,
} from './market-data-service.js';
export { StreamingService, type StreamingServiceOptions } from './streaming/streaming-service.js';
export {
  MarketActivityMonitor,
  type MarketActivityMonitorOptions,
  type MarketHeartbeat,
} from './streaming/market-activity-monitor.js';
export { streamDecimal, isDecimalText } from './streaming/decimal-text.js';
export { timerSleep } from './streaming/reconnect.js';
export { streamSourceOf } from './streaming/stream-source.js';
