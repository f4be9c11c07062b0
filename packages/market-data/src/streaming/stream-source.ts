import { ErrorCodes, PerpsBotError, type MarketDataStreamSource, type StreamMessage } from '@perps-bot/core';

/**
 * The broker seen as a stream source. A broker without a stream method still gives a source: its method
 * throws on open, which the streaming loops treat as the reference treated a missing broker method
 * (orderbook → warning and trades; trades → error and the loop ends).
 */
export function streamSourceOf(broker: object & { readonly name?: string }): MarketDataStreamSource {
  const candidate = broker as Partial<MarketDataStreamSource>;
  if (typeof candidate.streamOrderbook === 'function' && typeof candidate.streamTrades === 'function') {
    return candidate as MarketDataStreamSource;
  }
  const name = broker.name ?? 'the broker';
  const missing = (method: string): never => {
    throw new PerpsBotError(ErrorCodes.STREAM, `${name} does not support ${method}`, { details: { method } });
  };
  return {
    streamOrderbook: (symbols: readonly string[], level: number, signal?: AbortSignal): AsyncIterable<StreamMessage> =>
      typeof candidate.streamOrderbook === 'function'
        ? candidate.streamOrderbook.call(broker, symbols, level, signal)
        : missing('streamOrderbook'),
    streamTrades: (symbols: readonly string[], signal?: AbortSignal): AsyncIterable<StreamMessage> =>
      typeof candidate.streamTrades === 'function'
        ? candidate.streamTrades.call(broker, symbols, signal)
        : missing('streamTrades'),
  };
}
