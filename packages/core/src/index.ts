export { basePriceFor, isPerpetualSymbol } from './base-prices.js';
export { mulberry32, hashString } from './seeded-random.js';
export { parseDecimal, decimalToString, minDecimal, maxDecimal, Decimal, type DecimalInput, ZERO } from './decimal.js';
export {
  isPerpsBotError,
  describeError,
  ErrorCodes,
  type ErrorCode,
  type PerpsBotErrorOptions,
  PerpsBotError,
  QuoteError,
  NotConfiguredError,
  ConfigError,
  StorageUnavailableError,
  RequestAbortedError,
  OrderOutcomeUnknownError,
} from './errors.js';
export { isValidDate, type Clock, systemClock, ManualClock } from './clock.js';
export { type LogFields, type LogLevel, type Logger, type LogRecord, MemoryLogger, silentLogger } from './logger.js';
export {
  isFinalOrderStatus,
  type MarketType,
  type OrderSide,
  type OrderType,
  type TimeInForce,
  type OrderStatus,
  type Quote,
  type Product,
  type Candle,
  type Balance,
  type Position,
  type Order,
  type Fill,
  type PlaceOrderRequest,
  type ClosePositionRequest,
  type ClientOrderLookup,
  type IntentState,
  type OrderIntent,
  type IntentUpdate,
  type ListOrdersFilter,
} from './broker-types.js';
export {
  MAX_QUOTES_PER_BATCH,
  type Brokerage,
  type QuoteSource,
  type StreamMessage,
  type MarketDataStreamSource,
} from './brokerage.js';
export { type MarkUpdateSink, type StoredEvent, type EventStore, type OrdersStore } from './ports.js';
export { MemoryEventStore } from './memory-event-store.js';
export { readBooleanFlag, readMarketDataMode, type MarketDataMode } from './flags.js';
export { type RiskRejectCode, type RiskDecision, type PreTradeRequest, type PreTradeRisk } from './risk-types.js';
export { isUsablePrice, midPrice } from './prices.js';
export { DEFAULT_MAX_CLOCK_SKEW_MS, ExchangeTimeGuard } from './exchange-time.js';
export { checkProduct, ProductSanityError } from './product-sanity.js';
export { reconnectDelayMs, type ReconnectPolicy, DEFAULT_RECONNECT, type Random, type Sleep } from './reconnect.js';
export { judgeMismatches, type IgnoreRule, type Mismatch } from './ignore-rules.js';
