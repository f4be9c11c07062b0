import type { KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ledgerView, type SimLedgerView } from './ledger-view.js';
import { generateTestCredentials, trustedKeyMap, verifyCdpJwt, type TestCredentials } from './auth.js';
import { controlHandler } from './control.js';
import { Exchange } from './exchange.js';
import { TokenBucket } from './http/faults.js';
import { createRestHandler } from './http/rest-handler.js';
import { Market, type SimQuote } from './market.js';
import { DEFAULTS, PUBLISHED_RATE_LIMITS, type CloseReason, type Faults, type SimOptions } from './options.js';
import { DEFAULT_PRODUCT_IDS, ProductCatalog } from './products.js';
import { simUuid } from './random.js';
import { BROKERAGE_PREFIX } from './routes/index.js';
import { StatsRecorder, type SimStats } from './stats.js';
import { cfmBalanceSummary } from './routes/account-routes.js';
import { WsFeed, type PumpOptions } from './ws/feed.js';

export interface ExchangeSim {
  /** `http://127.0.0.1:PORT`: the origin. */
  readonly apiUrl: string;
  /** `http://127.0.0.1:PORT/api/v3/brokerage`: the base the REST paths hang off. */
  readonly brokerageUrl: string;
  /** `ws://127.0.0.1:PORT`: the market-data feed (any path is accepted). */
  readonly wsUrl: string;
  readonly port: number;
  readonly seed: number;
  /** The generated test key the simulator accepts; undefined when auth is off or keys were given. */
  readonly credentials: TestCredentials | undefined;
  readonly portfolioId: string;
  readonly intxPortfolioId: string;
  /** Settles once the simulator has stopped, with why (close(), idle, lifetime…). */
  readonly closed: Promise<CloseReason>;
  /** Stops it (idempotent); the reason is what `closed` resolves with. */
  close(reason?: CloseReason): Promise<void>;
  stats(): SimStats;
  faults(): Faults;
  /** Replaces the parts given: `{ rest }` the REST faults, `{ ws }` the WebSocket ones, `{ positions }` the positions ones. */
  setFaults(faults: Faults): void;
  /** Moves every product's price path on by `steps` (what the tick timer does). */
  advance(steps?: number): void;
  pump(options: PumpOptions): Promise<number>;
  quote(productId: string): SimQuote | undefined;
  /** The exchange's own books (orders, fills in sequence, positions): the truth a bot's records are checked against. */
  ledger(): SimLedgerView;
  /** The ledger's futures positions (signed contracts), whatever the positions faults make answers show. */
  positionSizes(): Record<string, string>;
}

/** Starts the simulator on 127.0.0.1 and resolves once it listens. */
export async function startExchangeSim(options: SimOptions = {}): Promise<ExchangeSim> {
  const seed = options.seed ?? DEFAULTS.seed;
  const now = options.now ?? Date.now;
  const catalog = new ProductCatalog(options.products ?? DEFAULT_PRODUCT_IDS);
  const market = new Market(seed, catalog, now);
  const exchange = new Exchange({
    seed,
    catalog,
    market,
    now,
    ...(options.balances ? { balances: options.balances } : {}),
  });
  const stats = new StatsRecorder(now);
  let faults: Faults = {
    rest: options.faults?.rest ?? {},
    ws: options.faults?.ws ?? {},
    positions: options.faults?.positions ?? {},
  };
  const ctx = {
    seed,
    catalog,
    market,
    exchange,
    now,
    portfolioId: simUuid(seed, 'portfolio', 'default'),
    intxPortfolioId: simUuid(seed, 'portfolio', 'intx'),
    createdAt: new Date(now()),
    positionFaults: () => faults.positions,
  };
  let credentials: TestCredentials | undefined;
  let keys = new Map<string, KeyObject>();
  if (options.auth !== false) {
    if (options.auth?.keys) keys = trustedKeyMap(options.auth.keys);
    else {
      credentials = options.auth?.credentials ?? generateTestCredentials();
      keys = trustedKeyMap([credentials]);
    }
  }
  const nowSeconds = () => Math.floor(now() / 1000);
  const authOn = options.auth !== false;

  let lastActivity = now();
  const touch = () => {
    lastActivity = now();
  };
  const timers = new Set<NodeJS.Timeout>();
  const latency = options.latencyMs ?? 0;
  const latencyMs = (route: string) => (typeof latency === 'number' ? latency : (latency[route] ?? latency['*'] ?? 0));

  const feed = new WsFeed({
    seed,
    market,
    catalog,
    stats,
    faults: () => faults.ws,
    verify: authOn ? (token) => verifyCdpJwt(token, keys, { nowSeconds: nowSeconds() }) : undefined,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULTS.heartbeatIntervalMs,
    subscribeTimeoutMs: options.subscribeTimeoutMs ?? DEFAULTS.subscribeTimeoutMs,
    stampFrames: options.stampFrames ?? false,
    now,
    touch,
    account: {
      orders: () => [...exchange.orders.values()],
      fcmBalanceSummary: () => {
        const answer = cfmBalanceSummary(ctx, {
          method: 'GET',
          params: [],
          query: new URLSearchParams(),
          body: undefined,
        });
        return ((answer.body as { balance_summary?: Record<string, unknown> }).balance_summary ?? {}) as Record<
          string,
          unknown
        >;
      },
    },
  });

  const sim: Omit<ExchangeSim, 'apiUrl' | 'brokerageUrl' | 'wsUrl' | 'port' | 'closed' | 'close'> = {
    seed,
    credentials,
    portfolioId: ctx.portfolioId,
    intxPortfolioId: ctx.intxPortfolioId,
    stats: () => stats.snapshot({ orders: exchange.orders.size, fills: exchange.fills.length }),
    faults: () => faults,
    setFaults: (next) => {
      faults = {
        rest: next.rest ?? faults.rest ?? {},
        ws: next.ws ?? faults.ws ?? {},
        positions: next.positions ?? faults.positions ?? {},
      };
    },
    advance: (steps = 1) => {
      for (let i = 0; i < steps; i++) market.step();
    },
    pump: (o) => feed.pump(o),
    quote: (id) => market.quote(id),
    ledger: () => ledgerView(exchange),
    positionSizes: () => Object.fromEntries([...exchange.liveSizes()].map(([id, qty]) => [id, qty.toFixed()])),
  };

  const server = createServer(
    createRestHandler({
      ctx,
      stats,
      faults: () => faults.rest,
      latencyMs,
      latencyJitterMs: options.latencyJitterMs ?? 0,
      verify: authOn
        ? (token, uris) => verifyCdpJwt(token, keys, { nowSeconds: nowSeconds(), expectedUris: uris })
        : undefined,
      jwtHosts: options.jwtHosts ?? [],
      buckets: rateBuckets(options, now),
      retryAfterSeconds: () => faults.rest?.retryAfterSeconds ?? DEFAULTS.retryAfterSeconds,
      timeoutMs: () => faults.rest?.timeoutMs ?? DEFAULTS.timeoutMs,
      status5xx: () => faults.rest?.status5xx ?? DEFAULTS.status5xx,
      timers,
      control: options.control ? controlHandler(sim) : undefined,
      touch,
    }),
  );
  server.on('upgrade', (req, socket, head) => feed.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  let resolveClosed!: (reason: CloseReason) => void;
  const closed = new Promise<CloseReason>((resolve) => {
    resolveClosed = resolve;
  });
  let stopping: Promise<void> | undefined;
  const background: NodeJS.Timeout[] = [];
  const shutdown = (reason: CloseReason): Promise<void> => {
    stopping ??= (async () => {
      for (const t of background) clearInterval(t);
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await feed.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      options.onClose?.(reason);
      resolveClosed(reason);
    })();
    return stopping;
  };

  // Timers are unref'd: the listening server keeps the process alive, they never do on their own.
  const tickMs = options.tickIntervalMs ?? DEFAULTS.tickIntervalMs;
  if (tickMs > 0) background.push(setInterval(() => market.step(), tickMs).unref());
  const idleMs = options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs;
  background.push(
    setInterval(
      () => {
        if (feed.openConnections === 0 && now() - lastActivity >= idleMs) void shutdown('idle');
      },
      Math.max(10, Math.min(1000, idleMs / 4)),
    ).unref(),
  );
  background.push(setTimeout(() => void shutdown('lifetime'), options.lifetimeMs ?? DEFAULTS.lifetimeMs).unref());

  const apiUrl = `http://127.0.0.1:${port}`;
  return {
    ...sim,
    apiUrl,
    brokerageUrl: `${apiUrl}${BROKERAGE_PREFIX}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    closed,
    close: (reason: CloseReason = 'close') => shutdown(reason),
  };
}

/** The buckets per access level: the published limits (own bucket per level) and the legacy `rateLimit` on every route. */
function rateBuckets(options: SimOptions, now: () => number): (access: 'private' | 'public') => readonly TokenBucket[] {
  const all = options.rateLimit
    ? [new TokenBucket(options.rateLimit.perSecond, options.rateLimit.burst ?? options.rateLimit.perSecond, now)]
    : [];
  const published = options.publishedRateLimits === true;
  const priv = published
    ? [new TokenBucket(PUBLISHED_RATE_LIMITS.privatePerSecond, PUBLISHED_RATE_LIMITS.privatePerSecond, now), ...all]
    : all;
  const pub = published
    ? [new TokenBucket(PUBLISHED_RATE_LIMITS.publicPerSecond, PUBLISHED_RATE_LIMITS.publicPerSecond, now), ...all]
    : all;
  return (access) => (access === 'private' ? priv : pub);
}
