import type {
  Balance,
  Candle,
  ClientOrderLookup,
  ClosePositionRequest,
  Fill,
  ListOrdersFilter,
  Order,
  PlaceOrderRequest,
  Position,
  Product,
  Quote,
} from './broker-types.js';

/**
 * The broker interface of the reference system. `getQuote` may answer null when the exchange has no price
 * for the symbol; callers must treat a quote as untrusted input (see the mark-update behaviour).
 */
/**
 * The most symbols one `getQuotes` request asks for: callers split longer lists into chunks of this size
 * (the MarketDataService), and so does an adapter answering one call with several requests (Coinbase's
 * products list), which keeps every URL well under proxy limits.
 */
export const MAX_QUOTES_PER_BATCH = 100;

export interface Brokerage {
  readonly name: string;
  connect(): Promise<boolean>;
  disconnect(): Promise<void>;
  validateConnection(): Promise<boolean>;

  listProducts(): Promise<Product[]>;
  getProduct(symbol: string): Promise<Product>;
  getQuote(symbol: string): Promise<Quote | null>;
  /** Quotes for many symbols in one request where the exchange supports it. Missing symbols are absent. */
  getQuotes?(symbols: readonly string[]): Promise<Map<string, Quote>>;
  getCandles(symbol: string, granularity: string, limit: number): Promise<Candle[]>;

  listBalances(): Promise<Balance[]>;
  listPositions(): Promise<Position[]>;

  placeOrder(request: PlaceOrderRequest): Promise<Order>;
  cancelOrder(orderId: string): Promise<boolean>;
  getOrder(orderId: string): Promise<Order | null>;
  /**
   * The order placed with this client order id, or null when the exchange has none: how an order whose answer
   * was lost is settled. Throws when the exchange could not be asked (then the outcome stays unknown).
   */
  getOrderByClientId(clientId: string, where: ClientOrderLookup): Promise<Order | null>;
  /** The exchange's own closing call, where it has one (CFM futures); absent → a reducing market order. */
  closePosition?(request: ClosePositionRequest): Promise<Order>;
  listOrders(filter?: ListOrdersFilter): Promise<Order[]>;
  listFills(symbol?: string, limit?: number): Promise<Fill[]>;
}

/** The part of the broker the mark-update path needs; lets tests and the golden harness script it. */
export type QuoteSource = Pick<Brokerage, 'getQuote'>;

/** A raw market-data message, as the streaming loop of the reference reads it (a plain JSON object). */
export type StreamMessage = Record<string, unknown>;

/** What a broker offers for streaming market data (the reference's stream_orderbook / stream_trades). */
export interface MarketDataStreamSource {
  streamOrderbook(symbols: readonly string[], level: number, signal?: AbortSignal): AsyncIterable<StreamMessage>;
  streamTrades(symbols: readonly string[], signal?: AbortSignal): AsyncIterable<StreamMessage>;
}
