import { Decimal, ManualClock, MemoryLogger, ProductSanityError, type Product } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { ProductCache } from './product-cache.js';

const product = (contractSize: string, minSize = '1'): Product => ({
  symbol: 'BIP-20DEC30-CDE',
  baseAsset: 'BTC',
  quoteAsset: 'USD',
  marketType: 'FUTURE',
  minSize: new Decimal(minSize),
  stepSize: new Decimal('1'),
  minNotional: null,
  priceIncrement: new Decimal('5'),
  leverageMax: 10,
  contractSize: new Decimal(contractSize),
});

function cache(answers: Array<Product | Error>, refreshMs?: number) {
  const clock = new ManualClock('2026-04-07T14:30:00Z');
  const logger = new MemoryLogger();
  let calls = 0;
  const products = new ProductCache({
    clock,
    logger,
    ...(refreshMs === undefined ? {} : { refreshMs }),
    load: async () => {
      const answer = answers[Math.min(calls++, answers.length - 1)] as Product | Error;
      if (answer instanceof Error) throw answer;
      return answer;
    },
  });
  return { products, clock, logger, calls: () => calls };
}

describe('ProductCache', () => {
  it('fetches again once the refresh interval has passed (default 15 min), not for the life of the process', async () => {
    const c = cache([product('0.01'), product('0.1')]);
    expect((await c.products.get('BIP-20DEC30-CDE')).contractSize.toString()).toBe('0.01');
    c.clock.advance(15 * 60_000 - 1);
    expect((await c.products.get('BIP-20DEC30-CDE')).contractSize.toString()).toBe('0.01');
    expect(c.calls()).toBe(1);
    c.clock.advance(1);
    expect((await c.products.get('BIP-20DEC30-CDE')).contractSize.toString()).toBe('0.1');
    expect(c.calls()).toBe(2);
  });

  it('honours a configured refresh interval', async () => {
    const c = cache([product('0.01')], 60_000);
    await c.products.get('BIP-20DEC30-CDE');
    c.clock.advance(60_000);
    await c.products.get('BIP-20DEC30-CDE');
    expect(c.calls()).toBe(2);
  });

  it('refuses a product that fails the checks, caches nothing and asks again next time', async () => {
    const c = cache([product('5e-324'), product('0.01')]);
    await expect(c.products.get('BIP-20DEC30-CDE')).rejects.toBeInstanceOf(ProductSanityError);
    expect((await c.products.get('BIP-20DEC30-CDE')).contractSize.toString()).toBe('0.01');
  });

  it('a refresh refused by the checks forgets the old product', async () => {
    const c = cache([product('0.01'), product('0.01', '-1'), product('0.01')]);
    await c.products.get('BIP-20DEC30-CDE');
    c.clock.advance(15 * 60_000);
    await expect(c.products.get('BIP-20DEC30-CDE')).rejects.toMatchObject({ field: 'minSize' });
    await c.products.get('BIP-20DEC30-CDE');
    expect(c.calls()).toBe(3);
  });

  it('a refresh that fails for another reason keeps the known product, warns, and tries again next call', async () => {
    const c = cache([product('0.01'), new Error('503'), product('0.1')]);
    await c.products.get('BIP-20DEC30-CDE');
    c.clock.advance(15 * 60_000);
    expect((await c.products.get('BIP-20DEC30-CDE')).contractSize.toString()).toBe('0.01');
    expect(c.logger.at('warn')[0]?.message).toBe(
      'Could not refresh product BIP-20DEC30-CDE: 503; using the one fetched earlier',
    );
    expect((await c.products.get('BIP-20DEC30-CDE')).contractSize.toString()).toBe('0.1');
  });

  it('a first fetch that fails throws and is retried', async () => {
    const c = cache([new Error('timeout'), product('0.01')]);
    await expect(c.products.get('BIP-20DEC30-CDE')).rejects.toThrow('timeout');
    await expect(c.products.get('BIP-20DEC30-CDE')).resolves.toBeDefined();
  });
});
