import {
  decimalToString,
  silentLogger,
  type Logger,
  type MarketDataStreamSource,
  type Quote,
  type StreamMessage,
} from '@perps-bot/core';
import { emptyStats, StreamFrameGuard, type StreamFrameStats } from './frame-guard.js';
import { L2Books } from './l2-book.js';
import { eventItems, l2EventSchema, type WsEnvelope } from './messages.js';
import { ProductAliases } from './product-aliases.js';
import { CoinbaseWsClient, type CoinbaseWsClientOptions, type CoinbaseWsSubscription } from './ws-client.js';

export type CoinbaseStreamOptions = Omit<CoinbaseWsClientOptions, 'subscriptions'>;

/**
 * The Coinbase market-data feed as the core `MarketDataStreamSource`: plain JSON objects, one per product
 * update, shaped the way the reference's streaming loop reads them (`product_id`, `best_bid`/`best_ask`,
 * `price`). Each call opens its own connection, which closes when the iteration ends or the signal aborts.
 *
 * - level < 2 → channel `ticker`: each ticker, flattened out of its event, with `sequence_num`, `timestamp`,
 *   `channel` and `event_type` (snapshot/update) added.
 * - level ≥ 2 → channel `level2`: a local book per product; after each event, one object with that product's
 *   `best_bid`, `best_ask` (and quantities), `type: "l2_data"`.
 * - trades → channel `market_trades`: each trade flattened (`product_id`, `price`, `size`, `side`…).
 *
 * Every item passes a StreamFrameGuard (./frame-guard.ts) first: products not subscribed on that connection
 * are dropped and counted, a book without a sane mid loses its bid/ask; `stats()` reports both counts.
 */
export class CoinbaseMarketDataStream implements MarketDataStreamSource {
  readonly #options: CoinbaseStreamOptions;
  readonly #logger: Logger;
  readonly #stats = emptyStats();

  constructor(options: CoinbaseStreamOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
  }

  /** What the frame guard refused on every connection this source opened. */
  stats(): StreamFrameStats {
    const { unsubscribedFrames, booksWithoutMid, unsubscribedByProduct } = this.#stats;
    return { unsubscribedFrames, booksWithoutMid, unsubscribedByProduct: { ...unsubscribedByProduct } };
  }

  /** A client for any subscriptions, for callers that want events, gaps or quotes directly. */
  client(subscriptions: readonly CoinbaseWsSubscription[]): CoinbaseWsClient {
    return new CoinbaseWsClient({ ...this.#options, subscriptions });
  }

  /**
   * Quotes from the ticker channel, as an async iterable: only for the products asked for, and only quotes
   * with a mid (two positive sides, bid ≤ ask) and a positive last price; the others are counted like items.
   */
  async *quotes(symbols: readonly string[], signal?: AbortSignal): AsyncGenerator<Quote> {
    const client = this.client([{ channel: 'ticker', productIds: symbols }]);
    const guard = new StreamFrameGuard(symbols, this.#stats);
    try {
      for await (const quote of client.quotes(signal)) {
        if (guard.admitQuote(quote)) yield quote;
      }
    } finally {
      await client.close();
    }
  }

  // Plain methods handing out the generator itself: a delegating `yield*` layer cost a promise round per item.
  streamOrderbook(symbols: readonly string[], level: number, signal?: AbortSignal): AsyncGenerator<StreamMessage> {
    return level >= 2
      ? this.#level2(symbols, signal)
      : this.#flattened({ channel: 'ticker', productIds: symbols }, 'tickers', signal);
  }

  streamTrades(symbols: readonly string[], signal?: AbortSignal): AsyncGenerator<StreamMessage> {
    return this.#flattened({ channel: 'market_trades', productIds: symbols }, 'trades', signal);
  }

  async *#flattened(
    subscription: CoinbaseWsSubscription,
    key: 'tickers' | 'trades',
    signal: AbortSignal | undefined,
  ): AsyncGenerator<StreamMessage> {
    const client = this.client([subscription]);
    const guard = new StreamFrameGuard(subscription.productIds, this.#stats);
    const aliases = new ProductAliases(subscription.productIds);
    try {
      // The client's events directly (not through messages(), one async generator layer less per frame).
      for await (const wsEvent of client.events(signal)) {
        if (wsEvent.type !== 'message') continue;
        const envelope = wsEvent.envelope;
        if (envelope.channel !== subscription.channel) continue;
        for (const event of envelope.events) {
          const eventType = typeof event.type === 'string' ? event.type : undefined;
          for (const item of eventItems(event, key)) {
            const productId = typeof item.product_id === 'string' ? item.product_id : '';
            const symbols = aliases.resolve(productId);
            // The common case (the id asked for) admits the item itself; a USD answer to a USDC
            // subscription becomes one message per symbol asked for.
            if (symbols.length === 1 && symbols[0] === productId) {
              const admitted = guard.admit(item);
              if (admitted) yield complete(admitted, envelope, eventType, item.type);
            } else {
              for (const symbol of symbols) {
                const admitted = guard.admit({ ...item, product_id: symbol });
                if (admitted) yield complete(admitted, envelope, eventType, item.type);
              }
            }
          }
        }
      }
    } finally {
      await client.close();
    }
  }

  async *#level2(symbols: readonly string[], signal: AbortSignal | undefined): AsyncGenerator<StreamMessage> {
    const client = this.client([{ channel: 'level2', productIds: symbols }]);
    const books = new L2Books();
    const guard = new StreamFrameGuard(symbols, this.#stats);
    const aliases = new ProductAliases(symbols);
    try {
      for await (const event of client.events(signal)) {
        // A gap, a new connection or updates dropped by a lagging consumer invalidate every book; the
        // resubscription sends fresh snapshots.
        if (event.type === 'gap' || event.type === 'open' || event.type === 'dropped') books.reset();
        if (event.type !== 'message' || event.envelope.channel !== 'l2_data') continue;
        for (const raw of event.envelope.events) {
          const parsed = l2EventSchema.safeParse(raw);
          if (!parsed.success) {
            this.#logger.warn('Ignoring an l2_data event of unexpected shape', {
              field: parsed.error.issues[0]?.path.join('.') ?? '',
            });
            continue;
          }
          if (!books.apply(parsed.data)) continue;
          const best = books.best(parsed.data.product_id);
          if (!best) continue;
          for (const symbol of aliases.resolve(parsed.data.product_id)) {
            const admitted = guard.admit({
              product_id: symbol,
              best_bid: decimalToString(best.bid),
              best_bid_quantity: decimalToString(best.bidSize),
              best_ask: decimalToString(best.ask),
              best_ask_quantity: decimalToString(best.askSize),
              ...meta(event.envelope, raw),
              type: 'l2_data',
            });
            if (admitted) yield admitted;
          }
        }
      }
    } finally {
      await client.close();
    }
  }
}

/**
 * Completes a ticker or trade item in place rather than copying it (a copy per ticker was a large share of
 * ingest time), with the same fields and values as meta() gives.
 */
function complete(
  admitted: StreamMessage,
  envelope: WsEnvelope,
  eventType: string | undefined,
  itemType: unknown,
): StreamMessage {
  admitted.channel = envelope.channel;
  admitted.event_type = eventType;
  admitted.sequence_num = envelope.sequence_num;
  admitted.timestamp = envelope.timestamp;
  admitted.type = itemType ?? envelope.channel;
  return admitted;
}

function meta(envelope: WsEnvelope, event: Record<string, unknown>): StreamMessage {
  return {
    channel: envelope.channel,
    event_type: typeof event.type === 'string' ? event.type : undefined,
    sequence_num: envelope.sequence_num,
    timestamp: envelope.timestamp,
  };
}
