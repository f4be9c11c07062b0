import { Decimal, type Brokerage, type Order, type Product, type Quote } from '@perps-bot/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** One broker under test, fresh for every test. */
interface ContractSubject {
  readonly broker: Brokerage;
  /** A symbol the broker quotes and trades. */
  readonly symbol: string;
  /** A second quotable symbol, for the many-quotes call. */
  readonly otherSymbol: string;
  /** Order size (in the product's size unit: contracts for CFM). Default 1. */
  readonly quantity?: Decimal;
  readonly teardown?: () => void | Promise<void>;
}

/**
 * The behaviour every Brokerage must share, so the bot can swap the deterministic, paper and Coinbase
 * brokers without noticing. Call it inside a test file with a factory that builds a fresh subject.
 */
export function describeBrokerageContract(name: string, setup: () => ContractSubject | Promise<ContractSubject>): void {
  describe(`Brokerage contract: ${name}`, () => {
    let subject: ContractSubject;
    let broker: Brokerage;
    let symbol: string;
    let quantity: Decimal;

    beforeEach(async () => {
      subject = await setup();
      ({ broker, symbol } = subject);
      quantity = subject.quantity ?? new Decimal(1);
      await expect(broker.connect()).resolves.toBe(true);
    });
    afterEach(async () => {
      await subject.teardown?.();
    });

    it('quotes a symbol with positive decimals, bid ≤ last ≤ ask', async () => {
      const quote = await broker.getQuote(symbol);
      expect(quote).not.toBeNull();
      expectSaneQuote(quote as Quote, symbol);
    });

    it('quotes several symbols in one call, keyed by symbol', async () => {
      expect(typeof broker.getQuotes).toBe('function');
      const quotes = await broker.getQuotes?.([symbol, subject.otherSymbol]);
      expect([...(quotes?.keys() ?? [])].sort()).toEqual([symbol, subject.otherSymbol].sort());
      for (const [key, quote] of quotes ?? []) expectSaneQuote(quote, key);
    });

    it('describes products with decimal sizes and increments', async () => {
      await broker.getQuote(symbol);
      const product = await broker.getProduct(symbol);
      expectSaneProduct(product, symbol);
      const products = await broker.listProducts();
      expect(products.map((p) => p.symbol)).toContain(symbol);
      for (const p of products) expectSaneProduct(p, p.symbol);
    });

    it('round-trips a placed market order through getOrder and listOrders', async () => {
      const placed = await broker.placeOrder({
        symbol,
        side: 'BUY',
        type: 'MARKET',
        quantity,
        clientId: 'contract-rt-1',
      });
      expect(placed.id).toEqual(expect.any(String));
      expectOrderLike(placed, { symbol, side: 'BUY', quantity, clientId: 'contract-rt-1' });
      const fetched = await broker.getOrder(placed.id);
      expect(fetched?.id).toBe(placed.id);
      expectOrderLike(fetched as Order, { symbol, side: 'BUY', quantity, clientId: 'contract-rt-1' });
      const listed = await broker.listOrders({ symbol });
      expect(listed.map((o) => o.id)).toContain(placed.id);
      await expect(broker.getOrder('no-such-order-id')).resolves.toBeNull();
    });

    it('places an order once per client order id', async () => {
      const request = { symbol, side: 'BUY' as const, type: 'MARKET' as const, quantity, clientId: 'contract-idem-1' };
      const first = await broker.placeOrder(request);
      const second = await broker.placeOrder(request);
      expect(second.id).toBe(first.id);
      const mine = (await broker.listOrders({ symbol })).filter((o) => o.clientId === 'contract-idem-1');
      expect(mine).toHaveLength(1);
      const other = await broker.placeOrder({ ...request, clientId: 'contract-idem-2' });
      expect(other.id).not.toBe(first.id);
    });

    it('cancels a resting order once, and refuses unknown or finished ones', async () => {
      await expect(broker.cancelOrder('no-such-order-id')).resolves.toBe(false);
      const quote = (await broker.getQuote(symbol)) as Quote;
      const product = await broker.getProduct(symbol);
      const price = quote.bid.div(2).toNearest(product.priceIncrement, Decimal.ROUND_DOWN);
      const order = await broker.placeOrder({
        symbol,
        side: 'BUY',
        type: 'LIMIT',
        quantity,
        price,
        tif: 'GTC',
        clientId: 'contract-cancel-1',
      });
      if (order.status === 'FILLED') {
        // A broker that fills every order at once (the deterministic one) has nothing left to cancel.
        await expect(broker.cancelOrder(order.id)).resolves.toBe(false);
        return;
      }
      expect(['PENDING', 'SUBMITTED']).toContain(order.status);
      await expect(broker.cancelOrder(order.id)).resolves.toBe(true);
      expect((await broker.getOrder(order.id))?.status).toBe('CANCELLED');
      await expect(broker.cancelOrder(order.id)).resolves.toBe(false);
    });

    it('finds an order by its client order id, and answers null for an id it never saw', async () => {
      const since = new Date(Date.now() - 60_000);
      const placed = await broker.placeOrder({
        symbol,
        side: 'BUY',
        type: 'MARKET',
        quantity,
        clientId: 'contract-lookup-1',
      });
      const found = await broker.getOrderByClientId('contract-lookup-1', { symbol, since });
      expect(found?.id).toBe(placed.id);
      expect(found?.clientId).toBe('contract-lookup-1');
      expect(await broker.getOrderByClientId('contract-never-sent', { symbol, since })).toBeNull();
    });

    it('lists balances as decimals with available ≤ total', async () => {
      const balances = await broker.listBalances();
      expect(balances.length).toBeGreaterThan(0);
      for (const balance of balances) {
        expect(balance.asset).toMatch(/^[A-Z0-9]+$/);
        for (const value of [balance.total, balance.available, balance.hold])
          expect(Decimal.isDecimal(value)).toBe(true);
        expect(balance.available.lessThanOrEqualTo(balance.total)).toBe(true);
        expect(balance.hold.isNegative()).toBe(false);
      }
    });

    it('reports the position a filled market buy opened', async () => {
      const sizeOf = async () =>
        (await broker.listPositions()).find((p) => p.symbol === symbol)?.quantity ?? new Decimal(0);
      const before = await sizeOf();
      await broker.placeOrder({ symbol, side: 'BUY', type: 'MARKET', quantity, clientId: 'contract-pos-1' });
      const positions = await broker.listPositions();
      const position = positions.find((p) => p.symbol === symbol);
      expect(position).toBeDefined();
      expect(position?.quantity.minus(before).toFixed()).toBe(quantity.toFixed());
      for (const p of positions) {
        expect(p.side).toBe(p.quantity.isNegative() ? 'short' : 'long');
        for (const value of [p.entryPrice, p.markPrice, p.unrealizedPnl, p.realizedPnl])
          expect(Decimal.isDecimal(value)).toBe(true);
        expect(p.markPrice.greaterThan(0)).toBe(true);
      }
    });
  });
}

function expectSaneQuote(quote: Quote, symbol: string): void {
  expect(quote.symbol).toBe(symbol);
  for (const value of [quote.bid, quote.ask, quote.last]) {
    expect(Decimal.isDecimal(value)).toBe(true);
    expect(value.greaterThan(0)).toBe(true);
  }
  expect(quote.bid.lessThanOrEqualTo(quote.last)).toBe(true);
  expect(quote.last.lessThanOrEqualTo(quote.ask)).toBe(true);
  expect(Number.isNaN(quote.ts.getTime())).toBe(false);
}

function expectSaneProduct(product: Product, symbol: string): void {
  expect(product.symbol).toBe(symbol);
  for (const value of [product.minSize, product.stepSize, product.priceIncrement, product.contractSize]) {
    expect(Decimal.isDecimal(value)).toBe(true);
    expect(value.greaterThan(0)).toBe(true);
  }
  expect(['SPOT', 'PERPETUAL', 'FUTURE']).toContain(product.marketType);
}

function expectOrderLike(
  order: Order,
  expected: { symbol: string; side: string; quantity: Decimal; clientId: string },
): void {
  expect(order.symbol).toBe(expected.symbol);
  expect(order.side).toBe(expected.side);
  expect(order.clientId).toBe(expected.clientId);
  expect(order.quantity.equals(expected.quantity)).toBe(true);
  expect(Decimal.isDecimal(order.filledQuantity)).toBe(true);
}
