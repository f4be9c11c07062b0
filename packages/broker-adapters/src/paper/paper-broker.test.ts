import { Decimal, ManualClock, MemoryLogger, PerpsBotError, type Brokerage, type Quote } from '@perps-bot/core';
import { describe, expect, it, vi } from 'vitest';
import { PaperBroker, type PaperBrokerOptions, type PaperMarketData } from './paper-broker.js';

const d = (v: string | number) => new Decimal(v);

/** Quotes the test sets by hand. */
function scriptedMarket() {
  const clock = new ManualClock('2026-04-07T14:30:00Z');
  const quotes = new Map<string, Quote | null>();
  const market: PaperMarketData & { set(symbol: string, bid: string, ask: string, last?: string): void } = {
    set(symbol, bid, ask, last) {
      quotes.set(symbol, {
        symbol,
        bid: d(bid),
        ask: d(ask),
        last: d(last ?? d(bid).plus(ask).div(2).toFixed()),
        ts: clock.now(),
      });
    },
    async getQuote(symbol) {
      return quotes.get(symbol) ?? null;
    },
  };
  return { market, clock };
}

function paper(options: Partial<PaperBrokerOptions> = {}) {
  const { market, clock } = scriptedMarket();
  market.set('BTC-PERP', '99.9', '100.1', '100');
  const logger = new MemoryLogger();
  const broker = new PaperBroker({ marketData: market, clock, logger, startingBalance: '1000', ...options });
  return { broker, market, clock, logger };
}

const cash = async (broker: PaperBroker) => (await broker.listBalances())[0]?.total.toFixed();

describe('PaperBroker fills', () => {
  it('fills a market buy at the ask plus slippage and charges the fee on the notional', async () => {
    const { broker } = paper({ feeBps: 10, slippageBps: 50 });
    const order = await broker.placeOrder({ symbol: 'BTC-PERP', side: 'BUY', type: 'MARKET', quantity: d(2) });
    // 100.1 × 1.005 = 100.6005; fee = 2 × 100.6005 × 0.001
    expect(order.avgFillPrice?.toFixed()).toBe('100.6005');
    expect(order).toMatchObject({ status: 'FILLED', tif: 'IOC' });
    expect(order.filledQuantity.toFixed()).toBe('2');
    const [fill] = await broker.listFills();
    expect(fill?.fee.toFixed()).toBe('0.201201');
    expect(await cash(broker)).toBe('999.798799'); // margin account: only the fee leaves the cash
  });

  it('fills a market sell at the bid minus slippage and realizes P&L on close', async () => {
    const { broker, market } = paper({ slippageBps: 10 });
    await broker.placeOrder({ symbol: 'BTC-PERP', side: 'BUY', type: 'MARKET', quantity: d(1) });
    market.set('BTC-PERP', '110', '110.2');
    const sell = await broker.placeOrder({ symbol: 'BTC-PERP', side: 'SELL', type: 'MARKET', quantity: d(1) });
    expect(sell.avgFillPrice?.toFixed()).toBe('109.89'); // 110 × 0.999
    // entry 100.1 × 1.001 = 100.2001 → realized 109.89 − 100.2001
    expect(await cash(broker)).toBe('1009.6899');
    expect(await broker.listPositions()).toEqual([]);
  });

  it('marks open positions at a fresh quote', async () => {
    const { broker, market } = paper();
    await broker.placeOrder({ symbol: 'BTC-PERP', side: 'SELL', type: 'MARKET', quantity: d(3) });
    market.set('BTC-PERP', '94.9', '95.1', '95');
    const [position] = await broker.listPositions();
    expect(
      position &&
        [position.side, position.quantity, position.entryPrice, position.markPrice, position.unrealizedPnl].map(String),
    ).toEqual(['short', '-3', '99.9', '95', '14.7']);
  });

  it('uses the product contract size when the market data knows it', async () => {
    const { market, clock } = scriptedMarket();
    market.set('BIP-20DEC30-CDE', '68000', '68010');
    const getProduct = vi.fn(async (symbol: string) => ({
      symbol,
      baseAsset: 'BTC',
      quoteAsset: 'USD',
      marketType: 'PERPETUAL' as const,
      minSize: d(1),
      stepSize: d(1),
      minNotional: null,
      priceIncrement: d(5),
      leverageMax: 10,
      contractSize: d('0.01'),
    }));
    const broker = new PaperBroker({
      marketData: { ...market, getQuote: market.getQuote, getProduct },
      clock,
      feeBps: 10,
    });
    await broker.placeOrder({ symbol: 'BIP-20DEC30-CDE', side: 'BUY', type: 'MARKET', quantity: d(10) });
    market.set('BIP-20DEC30-CDE', '69010', '69020');
    await broker.placeOrder({ symbol: 'BIP-20DEC30-CDE', side: 'SELL', type: 'MARKET', quantity: d(10) });
    // realized (69010 − 68010) × 10 × 0.01 = 100; fees 0.001 × 10 × 0.01 × (68010 + 69010) = 13.702
    expect((await broker.listBalances())[0]?.total.toFixed()).toBe('100086.298');
    expect(getProduct).toHaveBeenCalledTimes(1); // cached
  });
});

describe('PaperBroker limit orders', () => {
  it('fills a marketable limit at the better price and rests the others until the market reaches them', async () => {
    const { broker, market } = paper();
    const crossing = await broker.placeOrder({
      symbol: 'BTC-PERP',
      side: 'BUY',
      type: 'LIMIT',
      quantity: d(1),
      price: d(101),
    });
    expect([crossing.status, crossing.avgFillPrice?.toFixed()]).toEqual(['FILLED', '100.1']);

    const resting = await broker.placeOrder({
      symbol: 'BTC-PERP',
      side: 'BUY',
      type: 'LIMIT',
      quantity: d(1),
      price: d(95),
    });
    expect(resting.status).toBe('SUBMITTED');
    expect(await broker.matchOpenOrders()).toEqual([]);
    market.set('BTC-PERP', '94.8', '94.9');
    const [filled] = await broker.matchOpenOrders();
    expect([filled?.id, filled?.status, filled?.avgFillPrice?.toFixed()]).toEqual([resting.id, 'FILLED', '95']);
  });

  it('kills a non-marketable IOC or FOK limit at once', async () => {
    const { broker } = paper();
    const ioc = await broker.placeOrder({
      symbol: 'BTC-PERP',
      side: 'SELL',
      type: 'LIMIT',
      quantity: d(1),
      price: d(120),
      tif: 'IOC',
    });
    const fok = await broker.placeOrder({
      symbol: 'BTC-PERP',
      side: 'SELL',
      type: 'LIMIT',
      quantity: d(1),
      price: d(120),
      tif: 'FOK',
    });
    expect([ioc.status, fok.status]).toEqual(['CANCELLED', 'CANCELLED']);
    expect(await broker.listFills()).toEqual([]);
  });
});

describe('PaperBroker safety', () => {
  it('refuses a reduce-only order that would open or grow a position', async () => {
    const { broker } = paper();
    await expect(
      broker.placeOrder({ symbol: 'BTC-PERP', side: 'SELL', type: 'MARKET', quantity: d(1), reduceOnly: true }),
    ).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await broker.placeOrder({ symbol: 'BTC-PERP', side: 'BUY', type: 'MARKET', quantity: d(2) });
    await expect(
      broker.placeOrder({ symbol: 'BTC-PERP', side: 'SELL', type: 'MARKET', quantity: d(3), reduceOnly: true }),
    ).rejects.toThrow(/reduce-only/);
    const reduce = await broker.placeOrder({
      symbol: 'BTC-PERP',
      side: 'SELL',
      type: 'MARKET',
      quantity: d(2),
      reduceOnly: true,
    });
    expect([reduce.status, reduce.reduceOnly]).toEqual(['FILLED', true]);
  });

  it('places once per client id, even for concurrent calls, and fills once', async () => {
    const { broker } = paper();
    const request = {
      symbol: 'BTC-PERP',
      side: 'BUY' as const,
      type: 'MARKET' as const,
      quantity: d(1),
      clientId: 'same',
    };
    const [a, b] = await Promise.all([broker.placeOrder(request), broker.placeOrder(request)]);
    expect(a.id).toBe(b.id);
    expect(await broker.listFills()).toHaveLength(1);
  });

  it('throws NO_QUOTE without a quote and frees the client id for a retry', async () => {
    const { broker, market } = paper();
    const request = {
      symbol: 'ETH-PERP',
      side: 'BUY' as const,
      type: 'MARKET' as const,
      quantity: d(1),
      clientId: 'eth-1',
    };
    await expect(broker.placeOrder(request)).rejects.toMatchObject({ code: 'NO_QUOTE', symbol: 'ETH-PERP' });
    market.set('ETH-PERP', '3000', '3001');
    await expect(broker.placeOrder(request)).resolves.toMatchObject({ status: 'FILLED', clientId: 'eth-1' });
  });

  it('never sends anything to the broker it takes quotes from', async () => {
    const { market, clock } = scriptedMarket();
    market.set('BTC-PERP', '99', '101');
    const forbidden = () => {
      throw new Error('the paper broker must never trade on the real broker');
    };
    const live = {
      getQuote: market.getQuote,
      placeOrder: vi.fn(forbidden),
      cancelOrder: vi.fn(forbidden),
    } as unknown as Brokerage;
    const broker = new PaperBroker({ marketData: live, clock });
    const resting = await broker.placeOrder({
      symbol: 'BTC-PERP',
      side: 'BUY',
      type: 'LIMIT',
      quantity: d(1),
      price: d(50),
    });
    await broker.placeOrder({ symbol: 'BTC-PERP', side: 'BUY', type: 'MARKET', quantity: d(1) });
    await broker.cancelOrder(resting.id);
    expect(live.placeOrder).not.toHaveBeenCalled();
    expect(live.cancelOrder).not.toHaveBeenCalled();
  });

  it('rejects bad settings and orders it cannot simulate', async () => {
    const { market } = scriptedMarket();
    expect(() => new PaperBroker({ marketData: market, feeBps: -1 })).toThrow(PerpsBotError);
    const { broker } = paper();
    await expect(
      broker.placeOrder({
        symbol: 'BTC-PERP',
        side: 'BUY',
        type: 'STOP_LIMIT',
        quantity: d(1),
        price: d(1),
        stopPrice: d(1),
      }),
    ).rejects.toThrow(/stop orders are not simulated/);
    await expect(broker.placeOrder({ symbol: 'BTC-PERP', side: 'BUY', type: 'LIMIT', quantity: d(1) })).rejects.toThrow(
      /positive price/,
    );
  });
});

describe('PaperBroker ledger snapshots', () => {
  it('resumes from a snapshot: cash, position, entry, fills and orders survive a restart, JSON round trip included', async () => {
    const saved: unknown[] = [];
    const { broker, market, clock } = paper({ feeBps: 10, onChange: (s) => saved.push(s) });
    const opened = await broker.placeOrder({ symbol: 'BTC-PERP', side: 'BUY', type: 'MARKET', quantity: d(2) });
    expect(saved).toHaveLength(1); // every fill is handed out as it happens
    const snapshot = JSON.parse(JSON.stringify(broker.snapshot()));
    const restarted = new PaperBroker({
      marketData: market,
      clock,
      startingBalance: '1000',
      feeBps: 10,
      restore: snapshot,
    });
    expect(await cash(restarted)).toBe(await cash(broker));
    const [position] = await restarted.listPositions();
    expect(position?.quantity.toFixed()).toBe('2');
    expect(position?.entryPrice.toFixed()).toBe('100.1');
    expect((await restarted.getOrder(opened.id))?.status).toBe('FILLED');
    // The restarted account closes the position it inherited and realizes its P&L; order ids do not repeat.
    market.set('BTC-PERP', '109.9', '110.1', '110');
    const closed = await restarted.placeOrder({
      symbol: 'BTC-PERP',
      side: 'SELL',
      type: 'MARKET',
      quantity: d(2),
      reduceOnly: true,
    });
    expect(closed.id).not.toBe(opened.id);
    expect(await restarted.listPositions()).toEqual([]);
    expect(restarted.journal().map((j) => j.realized.toFixed())).toEqual(['0', '19.6']);
    expect(await restarted.listFills()).toHaveLength(2);
  });

  it('refuses a malformed snapshot with a typed error instead of starting from scratch', () => {
    const { market } = scriptedMarket();
    const bad = {
      version: 1,
      settlementAsset: 'USD',
      cash: 'lots',
      seq: 0,
      holdings: {},
      contractSizes: {},
      journal: [],
      orders: [],
    };
    expect(() => new PaperBroker({ marketData: market, restore: bad as never })).toThrow(
      /paper ledger cannot be read: cash/,
    );
  });
});
