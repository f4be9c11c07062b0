import { Decimal, ManualClock, PerpsBotError } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { DeterministicBroker } from './deterministic-broker.js';

const prices = async (broker: DeterministicBroker, symbol: string, n: number) => {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await broker.getQuote(symbol))?.last.toFixed() ?? 'null');
  return out;
};

describe('DeterministicBroker', () => {
  it('reproduces the same random walk for the same seed and differs for another', async () => {
    const a = await prices(new DeterministicBroker({ seed: 1 }), 'BTC-PERP', 50);
    const b = await prices(new DeterministicBroker({ seed: 1 }), 'BTC-PERP', 50);
    const c = await prices(new DeterministicBroker({ seed: 2 }), 'BTC-PERP', 50);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(new Set(a).size).toBeGreaterThan(40);
  });

  it('starts each symbol near the reference marks and keeps the walk per symbol', async () => {
    const broker = new DeterministicBroker({ seed: 3 });
    const btc = (await broker.getQuote('BTC-PERP'))?.last as Decimal;
    const xrp = (await broker.getQuote('XRP-PERP'))?.last as Decimal;
    expect(btc.minus(50000).abs().lessThan(100)).toBe(true);
    expect(xrp.minus('0.5').abs().lessThan('0.01')).toBe(true);
    expect(xrp.greaterThan(0)).toBe(true);
  });

  it('quotes a ±1 bp spread around last, stamped with its clock', async () => {
    const clock = new ManualClock('2026-05-05T05:05:05Z');
    const q = await new DeterministicBroker({ clock }).getQuote('ETH-PERP');
    expect(q?.ts).toEqual(clock.now());
    expect(q?.bid.lessThan(q.last)).toBe(true);
    expect(q?.ask.greaterThan(q.last)).toBe(true);
    expect(q?.ask.minus(q.bid).div(q.last).toDecimalPlaces(6).toFixed()).toBe('0.0002');
  });

  it('fails for a symbol when told, and recovers', async () => {
    const broker = new DeterministicBroker();
    broker.failFor('ETH-PERP');
    await expect(broker.getQuote('ETH-PERP')).rejects.toBeInstanceOf(PerpsBotError);
    expect(await broker.getQuote('BTC-PERP')).not.toBeNull();
    broker.failFor('ETH-PERP', 'null');
    expect(await broker.getQuote('ETH-PERP')).toBeNull();
    broker.recover('ETH-PERP');
    expect(await broker.getQuote('ETH-PERP')).not.toBeNull();
  });

  it('fills a market order once per client order id', async () => {
    const broker = new DeterministicBroker();
    const request = {
      symbol: 'BTC-PERP',
      side: 'BUY' as const,
      type: 'MARKET' as const,
      quantity: new Decimal('0.1'),
      clientId: 'c-1',
    };
    const first = await broker.placeOrder(request);
    const again = await broker.placeOrder(request);
    expect(again.id).toBe(first.id);
    expect(first.status).toBe('FILLED');
    const positions = await broker.listPositions();
    expect(positions.map((p) => [p.symbol, p.quantity.toFixed()])).toEqual([['BTC-PERP', '0.1']]);
  });
});
