import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCoinbaseBroker, type CoinbaseBrokerage } from '@perps-bot/broker-adapters';
import { Decimal, type Order, type StoredEvent } from '@perps-bot/core';
import { startExchangeSim, type ExchangeSim } from '@perps-bot/exchange-sim';
import { SqliteEventStore, SqliteOrdersStore } from '@perps-bot/stores';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCli, waitFor, type CliResult } from 'perps-bot/testing';

// `perps-bot run --profile dev --broker coinbase` as a child process against the loopback exchange simulator,
// over real sockets: REST with signed JWTs, the market-data WebSocket with streaming on, live orders.
const BIP = 'BIP-20DEC30-CDE'; // CFM nano BTC: contracts of 0.01 BTC, $5 tick
const ETP = 'ETP-20DEC30-CDE'; // CFM nano ETH: contracts of 0.1 ETH, $0.50 tick
const SYMBOLS = [BIP, ETP];
const MIN_CYCLES = 6;

let sim: ExchangeSim;
let exchange: CoinbaseBrokerage;
let dataDir: string;
let run: CliResult;
let seededOrder: Order;

const profileDir = () => join(dataDir, 'perps_bot', 'dev');
const readHealth = () =>
  JSON.parse(readFileSync(join(profileDir(), 'health.json'), 'utf8')) as Record<string, unknown> & {
    cycleCount: number;
    orderStats: { successful: number };
  };

function readEvents(): StoredEvent[] {
  const store = new SqliteEventStore({ file: join(profileDir(), 'events.sqlite'), readonly: true });
  try {
    return store.tail(1_000_000);
  } finally {
    store.close();
  }
}

function readOrders(): Order[] {
  const store = new SqliteOrdersStore({ file: join(profileDir(), 'orders.sqlite'), readonly: true });
  try {
    return store.list(1_000_000);
  } finally {
    store.close();
  }
}

beforeAll(async () => {
  // The market steps every 100 ms along the seeded paths; no faults.
  sim = await startExchangeSim({ seed: 7, tickIntervalMs: 100, products: SYMBOLS });
  const credentials = sim.credentials;
  if (!credentials) throw new Error('the simulator generated no test key');
  exchange = createCoinbaseBroker({
    apiUrl: sim.apiUrl,
    credentials: { keyName: credentials.keyName, privateKey: credentials.privateKeyPem },
    rateLimit: false,
  });
  // How the bot is made to place an order deterministically: it starts holding 2 BIP contracts (bought here,
  // at the ask, outside the bot), and PERPS_TRAILING_STOP_PCT=0.00001 puts its trailing stop at $0.50 under
  // the best price seen since that entry. The bot's marks are mid prices on a $5 grid, always below that ask
  // until the price has risen a whole tick, and a seeded walk that moves every 100 ms does not set a new high
  // on every cycle, so a cycle soon sees the price under the stop and the strategy CLOSEs: a reduce-only
  // market SELL of the 2 contracts, placed live through the adapter. (MA crossovers with 2/4 may add more.)
  seededOrder = await exchange.placeOrder({
    symbol: BIP,
    side: 'BUY',
    type: 'MARKET',
    quantity: new Decimal(2),
    clientId: 'e2e-seed',
  });

  dataDir = mkdtempSync(join(tmpdir(), 'perps-bot-e2e-'));
  const bot = startCli(
    [
      'run',
      '--profile',
      'dev',
      '--broker',
      'coinbase',
      '--api-url',
      sim.apiUrl,
      '--ws-url',
      sim.wsUrl,
      '--no-dry-run',
      '--interval',
      '0.2',
      '--symbols',
      SYMBOLS.join(','),
      '--data-dir',
      dataDir,
    ],
    {
      COINBASE_API_KEY_NAME: credentials.keyName,
      COINBASE_API_PRIVATE_KEY: credentials.privateKeyPem,
      PERPS_ENABLE_STREAMING: '1',
      PERPS_SHORT_MA: '2',
      PERPS_LONG_MA: '4',
      PERPS_TRAILING_STOP_PCT: '0.00001',
      PERPS_LOG_LEVEL: 'info',
      USE_NEW_MARKET_DATA_SERVICE: 'true',
      USE_NEW_STREAMING_SERVICE: 'true',
    },
    110_000,
  );
  const describeRun = () => `${bot.output().stdout}\n${bot.output().stderr.slice(-6000)}`;
  await waitFor(
    `${MIN_CYCLES} cycles and an order placed by the bot`,
    () => {
      const health = readHealth();
      return health.cycleCount >= MIN_CYCLES && health.orderStats.successful >= 1 ? true : undefined;
    },
    90_000,
    describeRun,
  );
  bot.child.kill('SIGTERM');
  run = await bot.done;
}, 120_000);

afterAll(async () => {
  await sim?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('perps-bot run --profile dev --broker coinbase against the exchange simulator', () => {
  it('stops on SIGTERM with exit code 0 and prints each symbol’s mark, on the product’s tick grid', () => {
    expect(run).toMatchObject({ code: 0, signal: null });
    expect(run.stdout).toMatch(/^perps-bot profile=dev market-data=new$/m);
    expect(run.stdout).toMatch(/broker=coinbase LIVE \(orders are placed\)/);
    const ticks: Record<string, Decimal> = { [BIP]: new Decimal(5), [ETP]: new Decimal('0.5') };
    for (const symbol of SYMBOLS) {
      const line = new RegExp(`^${symbol}\\s+mark=(\\d+(?:\\.\\d+)?) window=(\\d+)$`, 'm').exec(run.stdout);
      expect(line, `a mark line for ${symbol}`).not.toBeNull();
      const mark = new Decimal(line?.[1] ?? '0');
      expect(mark.greaterThan(0)).toBe(true);
      expect(mark.mod(ticks[symbol] as Decimal).isZero()).toBe(true);
      expect(Number(line?.[2])).toBeGreaterThan(1);
    }
    expect(run.stderr).not.toMatch(/Error processing|Cycle \d+ failed|could not/i);
  });

  it('recorded streamed marks (ws_mark_update) for every symbol and one cycle_metrics per cycle', () => {
    const events = readEvents();
    const health = readHealth();
    expect(health.status).toBe('stopped');
    const streamed = events.filter((e) => e.type === 'metric' && e.payload.event_type === 'ws_mark_update');
    for (const symbol of SYMBOLS)
      expect(streamed.filter((e) => e.payload.symbol === symbol).length, symbol).toBeGreaterThan(0);
    // A streamed mark is a mid on the grid too: the simulator's quotes, parsed from the WebSocket.
    for (const event of streamed) expect(new Decimal(String(event.payload.mark)).greaterThan(0)).toBe(true);
    const cycles = events.filter((e) => e.type === 'cycle_metrics');
    expect(cycles).toHaveLength(health.cycleCount);
    expect(cycles.map((e) => e.payload.cycle)).toEqual(cycles.map((_, i) => i + 1));
    expect(events[0]?.type).toBe('startup');
    expect(events.at(-1)).toMatchObject({ type: 'shutdown', payload: { reason: 'SIGTERM' } });
  });

  it('placed its orders on the simulator: the orders store, the order events and the exchange agree', async () => {
    const stored = readOrders();
    const health = readHealth();
    expect(stored.length).toBeGreaterThanOrEqual(1);
    expect(stored).toHaveLength(health.orderStats.successful);
    const onExchange = await exchange.listOrders({ limit: 1000 });
    const botOrders = onExchange.filter((o) => o.clientId?.startsWith('pb-'));
    // Everything the exchange holds is the bot's, except the one order the test placed to seed the position.
    expect(onExchange.map((o) => o.id).sort()).toEqual([...botOrders.map((o) => o.id), seededOrder.id].sort());
    expect(botOrders.map((o) => o.id).sort()).toEqual(stored.map((o) => o.id).sort());
    const byId = new Map(onExchange.map((o) => [o.id, o]));
    for (const order of stored) {
      const remote = byId.get(order.id);
      expect([remote?.clientId, remote?.symbol, remote?.side, remote?.quantity.toFixed()]).toEqual([
        order.clientId,
        order.symbol,
        order.side,
        order.quantity.toFixed(),
      ]);
      expect(remote?.status).toBe('FILLED');
    }
    const placedEvents = readEvents().filter((e) => e.type === 'order_placed');
    expect(placedEvents.map((e) => e.payload.orderId).sort()).toEqual(stored.map((o) => o.id).sort());
    // The bot's first BIP order closed the seeded long (holding it, the strategy can only hold or close): a
    // reduce-only SELL of the 2 contracts.
    const first = stored
      .filter((o) => o.symbol === BIP)
      .sort((a, b) => a.submittedAt.getTime() - b.submittedAt.getTime())[0];
    expect([first?.side, first?.quantity.toFixed(), first?.reduceOnly]).toEqual(['SELL', '2', true]);
  });
});
