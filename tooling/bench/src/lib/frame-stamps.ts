import type { MarketDataStreamSource, StreamMessage } from '@perps-bot/core';

/** The product ids of a Coinbase ticker envelope, in order. */
export function tickerProducts(message: StreamMessage): string[] {
  if (message.channel !== 'ticker' || !Array.isArray(message.events)) return [];
  const out: string[] = [];
  for (const event of message.events as { tickers?: { product_id?: unknown }[] }[]) {
    for (const t of event.tickers ?? []) if (typeof t.product_id === 'string') out.push(t.product_id);
  }
  return out;
}

/**
 * Wraps a stream source and notes, per product, the simulator's send time of every ticker it passes on
 * (`sim_sent_mono_ns`, the machine's monotonic clock, set by `exchange-sim --stamp-frames` on each envelope and
 * each ticker in it). A consumer that
 * turns each ticker into one window append lets the benchmark pair the k-th append of a product with the
 * k-th stamp of that product, whatever the consumer is (the plain one here, the StreamingService later).
 */
export function tapStamps(
  source: MarketDataStreamSource,
  onStamp: (productId: string, sentNs: bigint) => void,
): MarketDataStreamSource {
  const tap = (iterable: AsyncIterable<StreamMessage>): AsyncIterable<StreamMessage> => ({
    async *[Symbol.asyncIterator]() {
      for await (const message of iterable) {
        if (typeof message.sim_sent_mono_ns === 'string') {
          const sent = BigInt(message.sim_sent_mono_ns);
          // A whole envelope (a plain client), or one ticker flattened out of it (the Coinbase stream source).
          const products = typeof message.product_id === 'string' ? [message.product_id] : tickerProducts(message);
          for (const product of products) onStamp(product, sent);
        }
        yield message;
      }
    },
  });
  return {
    streamOrderbook: (symbols, level, signal) => tap(source.streamOrderbook(symbols, level, signal)),
    streamTrades: (symbols, signal) => tap(source.streamTrades(symbols, signal)),
  };
}
