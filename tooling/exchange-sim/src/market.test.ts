import { describe, expect, it } from 'vitest';
import { Market } from './market.js';
import { DEFAULT_PRODUCT_IDS, ProductCatalog, productFor } from './products.js';
import { TEST_PRODUCT_IDS } from './test-utils.js';

const path = (seed: number, id: string, steps: number): string[] => {
  const market = new Market(seed, new ProductCatalog(TEST_PRODUCT_IDS), () => 0);
  const out: string[] = [];
  for (let i = 0; i < steps; i++) {
    market.step();
    out.push((market.quote(id)?.price ?? 'none').toString());
  }
  return out;
};

describe('Market price paths', () => {
  it('repeats exactly for the same seed and product', () => {
    expect(path(1, 'BTC-PERP-INTX', 200)).toEqual(path(1, 'BTC-PERP-INTX', 200));
  });

  it('differs between seeds and between products', () => {
    expect(path(1, 'BTC-USD', 50)).not.toEqual(path(2, 'BTC-USD', 50));
    const btc = path(1, 'BTC-PERP-INTX', 50);
    const eth = path(1, 'ETH-PERP-INTX', 50);
    expect(btc.map((p, i) => p === eth[i])).toContain(false);
  });

  it('does not depend on which other products exist (each product has its own stream)', () => {
    const alone = new Market(3, new ProductCatalog(['BIP-20DEC30-CDE']), () => 0);
    const crowd = new Market(3, new ProductCatalog(DEFAULT_PRODUCT_IDS), () => 0);
    for (let i = 0; i < 30; i++) {
      alone.step();
      crowd.step();
    }
    expect(alone.quote('BIP-20DEC30-CDE')?.price.toFixed()).toBe(crowd.quote('BIP-20DEC30-CDE')?.price.toFixed());
  });

  it('keeps every price positive, on the quote increment, with bid < price < ask', () => {
    const catalog = new ProductCatalog([...DEFAULT_PRODUCT_IDS, 'XRP-USD']);
    const market = new Market(9, catalog, () => 0);
    for (let i = 0; i < 500; i++) {
      market.step();
      for (const product of catalog.all()) {
        const q = market.quote(product.id);
        if (!q) throw new Error(`no quote for ${product.id}`);
        expect(q.price.mod(product.quoteIncrement).isZero()).toBe(true);
        expect(q.bid.greaterThan(0)).toBe(true);
        expect(q.bid.lessThan(q.price) && q.price.lessThan(q.ask)).toBe(true);
      }
    }
  });

  it('lists recent trades newest first, one per step', () => {
    const market = new Market(1, new ProductCatalog(['BTC-USD']), () => 0);
    market.step();
    market.step();
    const trades = market.recentTrades('BTC-USD', 5);
    expect(trades.map((t) => t.tradeId)).toEqual(['2', '1', '0']);
    expect(trades[0]?.price.toFixed()).toBe(market.quote('BTC-USD')?.price.toFixed());
  });
});

describe('productFor', () => {
  it('reads the kind from the id suffix', () => {
    expect(productFor('BIP-20DEC30-CDE')).toMatchObject({ kind: 'cfm', venue: 'FCM', base: 'BTC' });
    expect(productFor('BIP-20DEC30-CDE').contractSize.toFixed()).toBe('0.01');
    expect(productFor('BTC-PERP-INTX')).toMatchObject({ kind: 'intx', venue: 'INTX', quote: 'USDC' });
    expect(productFor('BTC-USD')).toMatchObject({ kind: 'spot', venue: 'CBE', quote: 'USD' });
  });
});
