import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { JwtCheck } from '../auth.js';
import type { Market, SimQuote } from '../market.js';
import type { WsFaults } from '../options.js';
import type { ProductCatalog } from '../products.js';
import { hostileKindFor, makeHostile } from '../hostile.js';
import { chance, draw } from '../random.js';
import type { StatsRecorder } from '../stats.js';
import { heartbeatTime, l2Updates, tickerJson, tradeJson, wsTimestamp } from './messages.js';
import {
  batchTickerJson,
  candleJson,
  fcmBalanceSummaryJson,
  statusProductJson,
  userOrderJson,
} from './channel-messages.js';
import type { SimOrder } from '../exchange.js';

const CHANNELS = [
  'heartbeats',
  'ticker',
  'ticker_batch',
  'level2',
  'market_trades',
  'candles',
  'status',
  'user',
  'futures_balance_summary',
] as const;
/** Channels answered without product ids (the whole account, or every product). */
const WHOLE_CHANNELS: readonly string[] = ['heartbeats', 'status', 'user', 'futures_balance_summary'];
type Channel = (typeof CHANNELS)[number];

interface Connection {
  readonly id: number;
  readonly ws: WebSocket;
  /** sequence_num of the next message; one counter per connection, used up by lost messages too. */
  seq: number;
  sent: number;
  readonly subs: Map<Channel, Set<string>>;
  subscribed: boolean;
  heartbeat: NodeJS.Timeout | undefined;
  heartbeatCounter: number;
  subscribeTimer: NodeJS.Timeout | undefined;
  closed: boolean;
  /** Messages are handled one after another, in arrival order, even though checking a JWT awaits. */
  inbox: Promise<void>;
  /** `user` channel: each order's last sent form, so updates carry only what changed. */
  userOrders?: Map<string, string>;
}

interface FeedOptions {
  readonly seed: number;
  readonly market: Market;
  readonly catalog: ProductCatalog;
  readonly stats: StatsRecorder;
  readonly faults: () => WsFaults | undefined;
  /** Verifies a subscribe's `jwt` (no `uri`); undefined when auth is off. */
  readonly verify: ((token: string) => Promise<JwtCheck>) | undefined;
  readonly heartbeatIntervalMs: number;
  readonly subscribeTimeoutMs: number;
  readonly stampFrames: boolean;
  readonly now: () => number;
  readonly touch: () => void;
  /**
   * The key's account, for `user` and `futures_balance_summary`. The simulator has one key, so every order is
   * "the key's". Served on the market-data URL too (the exchange serves these on its user URL; any path here).
   */
  readonly account?:
    | { readonly orders: () => readonly SimOrder[]; readonly fcmBalanceSummary: () => Record<string, unknown> }
    | undefined;
}

export interface PumpOptions {
  readonly count: number;
  /** Products to cycle through; default every product a connection subscribed to on `ticker`. */
  readonly productIds?: readonly string[];
  /** Frames per second; omitted = as fast as the sockets drain. */
  readonly ratePerSecond?: number;
}

/** The market-data WebSocket: subscriptions, ticker/level2/trades on every market step, heartbeats, faults. */
export class WsFeed {
  readonly #o: FeedOptions;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #connections = new Set<Connection>();
  readonly #lastQuote = new Map<string, SimQuote>();
  #nextId = 0;

  constructor(options: FeedOptions) {
    this.#o = options;
    options.market.onStep((ids) => this.#onStep(ids));
  }

  get openConnections(): number {
    return this.#connections.size;
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.#wss.handleUpgrade(req, socket, head, (ws) => this.#accept(ws));
  }

  #accept(ws: WebSocket): void {
    this.#o.touch();
    const conn: Connection = {
      id: ++this.#nextId,
      ws,
      seq: 0,
      sent: 0,
      subs: new Map(),
      subscribed: false,
      heartbeat: undefined,
      heartbeatCounter: 0,
      subscribeTimer: undefined,
      closed: false,
      inbox: Promise.resolve(),
    };
    this.#connections.add(conn);
    this.#o.stats.wsOpen = this.#connections.size;
    this.#o.stats.wsTotal += 1;
    conn.subscribeTimer = setTimeout(() => {
      if (conn.subscribed || conn.closed) return;
      this.#o.stats.fault({ kind: 'ws_subscribe_timeout', connection: conn.id });
      this.#sendRaw(
        conn,
        JSON.stringify({ type: 'error', message: `no subscription within ${this.#o.subscribeTimeoutMs} ms` }),
      );
      ws.close(1008, 'subscribe timeout');
    }, this.#o.subscribeTimeoutMs);
    ws.on('message', (data: RawData) => {
      this.#o.touch();
      const text = data.toString();
      // In order, as the exchange does: an unsubscribe then a subscribe (a resubscribe after a gap) must not
      // finish the other way round because the second JWT verified first.
      conn.inbox = conn.inbox.then(() => this.#onMessage(conn, text)).catch(() => undefined);
    });
    ws.on('close', () => this.#forget(conn));
    ws.on('error', () => this.#forget(conn));
  }

  #forget(conn: Connection): void {
    conn.closed = true;
    clearTimeout(conn.subscribeTimer);
    clearInterval(conn.heartbeat);
    this.#connections.delete(conn);
    this.#o.stats.wsOpen = this.#connections.size;
  }

  async #onMessage(conn: Connection, text: string): Promise<void> {
    let msg: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      msg = parsed as Record<string, unknown>;
    } catch {
      return this.#error(conn, 'message is not a JSON object');
    }
    if (msg.type !== 'subscribe' && msg.type !== 'unsubscribe')
      return this.#error(conn, `unknown message type ${String(msg.type)}`);
    if (typeof msg.channel !== 'string')
      return this.#error(conn, 'one channel per message: `channel` must be a string');
    const channel = msg.channel as Channel;
    if (!CHANNELS.includes(channel))
      return this.#error(conn, `Failed to subscribe: channel ${msg.channel} is not simulated`);
    const ids = Array.isArray(msg.product_ids)
      ? msg.product_ids.filter((p): p is string => typeof p === 'string').map((p) => p.toUpperCase())
      : [];
    const unknown = ids.filter((id) => !this.#o.catalog.get(id));
    if (unknown.length > 0) return this.#error(conn, `Failed to subscribe: unknown product ${unknown.join(', ')}`);
    if (typeof msg.jwt === 'string' && this.#o.verify) {
      const check = await this.#o.verify(msg.jwt);
      if (!check.ok) {
        this.#o.stats.fault({ kind: 'auth_failed', connection: conn.id, detail: check.reason ?? 'invalid token' });
        return this.#error(conn, `authentication failure: ${check.reason ?? 'invalid token'}`);
      }
    }
    if (msg.type === 'unsubscribe') {
      if (ids.length === 0) conn.subs.delete(channel);
      else for (const id of ids) conn.subs.get(channel)?.delete(id);
      if (channel === 'heartbeats' || !conn.subs.has('heartbeats')) this.#stopHeartbeat(conn);
      return this.#ack(conn);
    }
    if (!WHOLE_CHANNELS.includes(channel) && ids.length === 0)
      return this.#error(conn, `Failed to subscribe: ${channel} needs product_ids`);
    if ((channel === 'user' || channel === 'futures_balance_summary') && !this.#o.account)
      return this.#error(conn, `Failed to subscribe: ${channel} needs an account`);
    const set = conn.subs.get(channel) ?? new Set<string>();
    for (const id of ids) set.add(id);
    conn.subs.set(channel, set);
    conn.subscribed = true;
    clearTimeout(conn.subscribeTimer);
    this.#ack(conn);
    if (channel === 'heartbeats') this.#startHeartbeat(conn);
    else this.#snapshot(conn, channel, ids);
  }

  #ack(conn: Connection): void {
    const subscriptions: Record<string, string[]> = {};
    for (const [channel, ids] of conn.subs) subscriptions[channel] = channel === 'heartbeats' ? [] : [...ids];
    this.#send(conn, 'subscriptions', [{ subscriptions }], false);
  }

  #snapshot(conn: Connection, channel: Channel, ids: readonly string[]): void {
    const quotes = ids.map((id) => this.#o.market.quote(id)).filter((q): q is SimQuote => q !== undefined);
    const eventTime = wsTimestamp(this.#o.now());
    if (channel === 'ticker')
      this.#send(conn, 'ticker', [{ type: 'snapshot', tickers: quotes.map((q) => tickerJson(this.#o.market, q)) }]);
    // The exchange answers a `level2` subscription on the `l2_data` channel.
    if (channel === 'level2')
      for (const q of quotes)
        this.#send(conn, 'l2_data', [
          { type: 'snapshot', product_id: q.productId, updates: l2Updates(q, undefined, eventTime) },
        ]);
    if (channel === 'market_trades')
      this.#send(conn, 'market_trades', [
        { type: 'snapshot', trades: ids.flatMap((id) => tradeJson(this.#o.market, id)) },
      ]);
    if (channel === 'ticker_batch')
      this.#send(conn, 'ticker_batch', [
        { type: 'snapshot', tickers: quotes.map((q) => batchTickerJson(this.#o.market, q)) },
      ]);
    if (channel === 'candles') this.#send(conn, 'candles', [{ type: 'snapshot', candles: quotes.map(candleJson) }]);
    if (channel === 'status') {
      const products = (ids.length > 0 ? ids : this.#o.catalog.all().map((p) => p.id)).flatMap((id) => {
        const p = this.#o.catalog.get(id);
        return p ? [statusProductJson(p)] : [];
      });
      this.#send(conn, 'status', [{ type: 'snapshot', products }]);
    }
    if (channel === 'user') this.#sendUser(conn, 'snapshot');
    if (channel === 'futures_balance_summary') this.#sendBalance(conn, 'snapshot');
  }

  /** `user`: the key's orders (filtered by product ids when subscribed with some); updates carry changed orders only. */
  #sendUser(conn: Connection, type: 'snapshot' | 'update'): void {
    const account = this.#o.account;
    if (!account) return;
    const filter = conn.subs.get('user') ?? new Set<string>();
    const seen = (conn.userOrders ??= new Map<string, string>());
    const orders = account
      .orders()
      .filter((o) => filter.size === 0 || filter.has(o.request.product.id))
      .map(userOrderJson);
    const changed = orders.filter((o) => {
      const text = JSON.stringify(o);
      const id = String(o.order_id);
      if (seen.get(id) === text) return false;
      seen.set(id, text);
      return true;
    });
    if (type === 'update' && changed.length === 0) return;
    // The exchange batches a snapshot's orders 50 at a time (docs' user channel page).
    const batch = type === 'snapshot' ? orders : changed;
    for (let i = 0; i === 0 || i < batch.length; i += 50) {
      this.#send(conn, 'user', [
        {
          type,
          orders: batch.slice(i, i + 50),
          positions: { perpetual_futures_positions: [], expiring_futures_positions: [] },
        },
      ]);
    }
  }

  #sendBalance(conn: Connection, type: 'snapshot' | 'update'): void {
    const account = this.#o.account;
    if (!account) return;
    this.#send(conn, 'futures_balance_summary', [
      { type, fcm_balance_summary: fcmBalanceSummaryJson(account.fcmBalanceSummary()) },
    ]);
  }

  #startHeartbeat(conn: Connection): void {
    if (conn.heartbeat) return;
    conn.heartbeat = setInterval(() => {
      conn.heartbeatCounter += 1;
      this.#send(conn, 'heartbeats', [
        { current_time: heartbeatTime(this.#o.now()), heartbeat_counter: conn.heartbeatCounter },
      ]);
    }, this.#o.heartbeatIntervalMs);
  }

  #stopHeartbeat(conn: Connection): void {
    clearInterval(conn.heartbeat);
    conn.heartbeat = undefined;
  }

  #onStep(ids: readonly string[]): void {
    const eventTime = wsTimestamp(this.#o.now());
    const quotes = new Map<string, SimQuote>();
    for (const id of ids) {
      const q = this.#o.market.quote(id);
      if (q) quotes.set(q.productId, q);
    }
    for (const conn of this.#connections) {
      const tick = [...(conn.subs.get('ticker') ?? [])].flatMap((id) =>
        quotes.has(id) ? [tickerJson(this.#o.market, quotes.get(id) as SimQuote)] : [],
      );
      if (tick.length > 0) this.#send(conn, 'ticker', [{ type: 'update', tickers: tick }]);
      for (const id of conn.subs.get('level2') ?? []) {
        const q = quotes.get(id);
        if (q)
          this.#send(conn, 'l2_data', [
            { type: 'update', product_id: id, updates: l2Updates(q, this.#lastQuote.get(id), eventTime) },
          ]);
      }
      const trades = [...(conn.subs.get('market_trades') ?? [])]
        .filter((id) => quotes.has(id))
        .flatMap((id) => tradeJson(this.#o.market, id));
      if (trades.length > 0) this.#send(conn, 'market_trades', [{ type: 'update', trades }]);
      // ticker_batch goes out every 5 s on the exchange; here on every market step (tests step the market by hand).
      const batch = [...(conn.subs.get('ticker_batch') ?? [])].flatMap((id) =>
        quotes.has(id) ? [batchTickerJson(this.#o.market, quotes.get(id) as SimQuote)] : [],
      );
      if (batch.length > 0) this.#send(conn, 'ticker_batch', [{ type: 'update', tickers: batch }]);
      const candles = [...(conn.subs.get('candles') ?? [])].flatMap((id) =>
        quotes.has(id) ? [candleJson(quotes.get(id) as SimQuote)] : [],
      );
      if (candles.length > 0) this.#send(conn, 'candles', [{ type: 'update', candles }]);
      if (conn.subs.has('user')) this.#sendUser(conn, 'update');
      if (conn.subs.has('futures_balance_summary')) this.#sendBalance(conn, 'update');
    }
    for (const [id, q] of quotes) this.#lastQuote.set(id, q);
  }

  /**
   * Sends `count` ticker frames as fast as the sockets take them (or at `ratePerSecond`), one product step
   * each, to every connection subscribed to that product. For throughput benchmarks; the market's listeners
   * (order matching, the regular ticker) do not see these steps.
   */
  async pump(options: PumpOptions): Promise<number> {
    const targets = options.productIds ?? [
      ...new Set([...this.#connections].flatMap((c) => [...(c.subs.get('ticker') ?? [])])),
    ];
    if (targets.length === 0) return 0;
    const started = performance.now();
    let sent = 0;
    for (let i = 0; i < options.count; i++) {
      if (options.ratePerSecond !== undefined) {
        while ((performance.now() - started) * (options.ratePerSecond / 1000) < i)
          await new Promise((r) => setTimeout(r, 1));
      } else if (i % 256 === 0) {
        while ([...this.#connections].some((c) => c.ws.bufferedAmount > 1 << 20))
          await new Promise((r) => setTimeout(r, 1));
        await new Promise((r) => setImmediate(r));
      }
      const id = targets[i % targets.length] as string;
      const q = this.#o.market.advanceQuietly(id);
      const frame = [{ type: 'update', tickers: [tickerJson(this.#o.market, q)] }];
      for (const conn of this.#connections) {
        if (conn.subs.get('ticker')?.has(id)) {
          this.#send(conn, 'ticker', frame);
          sent += 1;
        }
      }
    }
    return sent;
  }

  /** Every data message goes through here: sequence numbers, then the seeded faults (gap, garbage, drop). */
  #send(conn: Connection, channel: string, events: unknown[], faultable = true): void {
    if (conn.closed || conn.ws.readyState !== WebSocket.OPEN) return;
    const seq = conn.seq++;
    const faults = faultable ? this.#o.faults() : undefined;
    const { seed, stats } = this.#o;
    if (faults && chance(faults.gapRate, seed, 'ws-gap', conn.id, seq)) {
      stats.fault({ kind: 'ws_gap', connection: conn.id, sequenceNum: seq, detail: channel });
      return;
    }
    if (faults && chance(faults.malformedRate, seed, 'ws-malformed', conn.id, seq)) {
      stats.fault({ kind: 'ws_malformed', connection: conn.id, sequenceNum: seq, detail: channel });
      this.#sendRaw(conn, `{"channel":"${channel}","sequence_num":${seq},"events":[{`);
    } else {
      let envelope: Record<string, unknown> = {
        channel,
        client_id: '',
        timestamp: wsTimestamp(this.#o.now()),
        sequence_num: seq,
        events,
      };
      if (this.#o.stampFrames) {
        const stamp = String(process.hrtime.bigint());
        envelope.sim_sent_mono_ns = stamp;
        // Also on each ticker: a client that flattens tickers out of their envelope (the Coinbase adapter's
        // stream source) keeps the stamp with the product it belongs to.
        envelope.events = events.map((event) => stampTickers(event, stamp));
      }
      if (faults && channel === 'ticker' && chance(faults.hostileRate, seed, 'ws-hostile', conn.id, seq)) {
        const kind = hostileKindFor(draw(seed, 'ws-hostile-kind', conn.id, seq));
        stats.fault({ kind: 'ws_hostile', connection: conn.id, sequenceNum: seq, detail: kind });
        envelope = makeHostile(envelope, kind) as Record<string, unknown>;
      }
      this.#sendRaw(conn, JSON.stringify(envelope));
    }
    const dropAfter = faults?.dropAfterMessages;
    if (
      faults &&
      ((dropAfter !== undefined && conn.sent >= dropAfter) || chance(faults.dropRate, seed, 'ws-drop', conn.id, seq))
    ) {
      stats.fault({ kind: 'ws_drop', connection: conn.id, sequenceNum: seq, detail: channel });
      conn.ws.terminate();
      this.#forget(conn);
    }
  }

  #sendRaw(conn: Connection, text: string): void {
    if (conn.closed || conn.ws.readyState !== WebSocket.OPEN) return;
    conn.ws.send(text);
    conn.sent += 1;
    this.#o.stats.wsMessagesSent += 1;
  }

  #error(conn: Connection, message: string): void {
    this.#sendRaw(conn, JSON.stringify({ type: 'error', message }));
  }

  /** Cuts every connection (no close frame) and stops the timers. */
  closeAll(): Promise<void> {
    for (const conn of [...this.#connections]) {
      conn.ws.terminate();
      this.#forget(conn);
    }
    return new Promise((resolve) => this.#wss.close(() => resolve()));
  }
}

function stampTickers(event: unknown, stamp: string): unknown {
  const tickers = (event as { tickers?: unknown } | null)?.tickers;
  if (!Array.isArray(tickers)) return event;
  return {
    ...(event as object),
    tickers: tickers.map((t: unknown) => (t && typeof t === 'object' ? { ...t, sim_sent_mono_ns: stamp } : t)),
  };
}
