export { CoinbaseBrokerage } from './adapter.js';
export { coinbaseOptionsFromEnv, COINBASE_ENV, COINBASE_ENV_ALIASES } from './env.js';
export { createCoinbaseBroker, createCoinbaseMarketDataStream, type CoinbaseMarketDataOptions } from './factory.js';
export {
  DEFAULT_API_URL,
  DEFAULT_WS_URL,
  DEFAULT_RATE_LIMITS,
  brokerageBaseUrl,
  type CoinbaseBrokerOptions,
} from './options.js';
export { loadCdpKey, type CdpKey, type CoinbaseCredentials, type SigningAlgorithm } from './auth/credentials.js';
export { signRestJwt, signWebSocketJwt, jwtUri, JWT_LIFETIME_SECONDS } from './auth/jwt.js';
export * from './errors.js';
export { CoinbaseRestClient, type CandleGranularity } from './rest-client.js';
export { CANDLE_GRANULARITY_SECONDS, MAX_CANDLES } from './candles.js';
export {
  CoinbaseHttpClient,
  type HttpRequest,
  type HttpResponse,
  type HttpClientOptions,
} from './transport/http-client.js';
export { TokenBucket, type TokenBucketOptions } from './transport/rate-limiter.js';
export {
  DEFAULT_RETRY_POLICY,
  backoffDelayMs,
  parseRetryAfter,
  realSleep,
  type RetryPolicy,
  type Sleep,
} from './transport/retry.js';
export { isCfmFuture, isIntxPerpetual, toProduct } from './mappers/product.js';
export type { MarginType } from './mappers/order-request.js';
export {
  CoinbaseWsClient,
  type CoinbaseWsClientOptions,
  type CoinbaseWsSubscription,
  type LivenessTimers,
  type WsEvent,
} from './ws/ws-client.js';
export { CoinbaseMarketDataStream, type CoinbaseStreamOptions } from './ws/stream-source.js';
export type { StreamFrameStats } from './ws/frame-guard.js';
export type { WsEnvelope } from './ws/messages.js';
export { readFrame, type FrameRead } from './ws/frames.js';
export { AsyncQueue } from './ws/async-queue.js';
export { globalWebSocketFactory, type WebSocketFactory, type WebSocketLike } from './ws/socket.js';
