export { MarkWindow } from './mark-window.js';
export { MarkWindows, windowLimit, type MarkAppend, type MarkAppendObserver } from './mark-windows.js';
export { markFromQuote, type MarkFromQuote } from './quote-mark.js';
export { MarketDataService, type MarketDataServiceOptions, type FetchedQuote } from './market-data-service.js';
