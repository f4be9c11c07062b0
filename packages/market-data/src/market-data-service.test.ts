import { Decimal } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { MarkWindows } from './mark-windows.js';
import { asStrings, makeService, quote, QUOTE_TS, scriptedBroker } from './test-utils.js';

describe('MarketDataService initialisation', () => {
  it('creates an empty window for every symbol', () => {
    const { service } = makeService();
    expect(service.markWindows.symbols()).toEqual(['BTC-USD', 'ETH-USD']);
    expect(service.markWindows.get('BTC-USD')).toEqual([]);
    expect(service.markWindows.get('ETH-USD')).toEqual([]);
  });

  it('keeps a passed-in store as the same object, even when it is empty', () => {
    const shared = new MarkWindows({ limit: 3 });
    const { service } = makeService({ markWindows: shared });
    expect(service.markWindows).toBe(shared);
  });

  it('keeps existing marks of a passed-in store and exposes that store', () => {
    const shared = MarkWindows.fromRecord({ 'BTC-USD': [new Decimal(1), new Decimal(2)] }, 3);
    const { service } = makeService({ markWindows: shared });
    expect(asStrings(service.markWindows.get('BTC-USD'))).toEqual(['1', '2']);
    expect(service.markWindows.get('ETH-USD')).toEqual([]);
  });
});

describe('MarketDataService.updateMarks', () => {
  it('appends the quote price to every window', async () => {
    const { service } = makeService();
    await service.updateMarks();
    expect(asStrings(service.markWindows.get('BTC-USD'))).toEqual(['50000']);
    expect(asStrings(service.markWindows.get('ETH-USD'))).toEqual(['50000']);
  });

  it('records a timestamp for every symbol with the risk manager', async () => {
    const { service, risk } = makeService();
    await service.updateMarks();
    expect([...risk.lastMarkUpdate.keys()]).toEqual(['BTC-USD', 'ETH-USD']);
    for (const at of risk.lastMarkUpdate.values()) expect(at).toBeInstanceOf(Date);
  });

  it('skips a symbol whose quote is null, logs it and still updates the others', async () => {
    const { service, logger } = makeService({ broker: scriptedBroker({ 'BTC-USD': null }) });
    await service.updateMarks();
    expect(service.markWindows.get('BTC-USD')).toEqual([]);
    expect(asStrings(service.markWindows.get('ETH-USD'))).toEqual(['50000']);
    expect(logger.at('error').map((r) => r.message)).toEqual(['Error updating mark for BTC-USD: No quote for BTC-USD']);
  });

  it('rejects a quote whose last and lastPrice are both null', async () => {
    const { service, logger } = makeService({ broker: scriptedBroker({}, quote({ last: null, lastPrice: null })) });
    await service.updateMarks();
    expect(service.markWindows.get('BTC-USD')).toEqual([]);
    expect(service.markWindows.get('ETH-USD')).toEqual([]);
    expect(logger.at('error')[0]?.message).toBe('Error updating mark for BTC-USD: Quote missing price for BTC-USD');
  });

  it('falls back to lastPrice only when the quote has no last field', async () => {
    const noLast = quote({ lastPrice: new Decimal('51000') });
    delete noLast.last;
    const { service } = makeService({ broker: scriptedBroker({}, noLast) });
    await service.updateMarks();
    expect(asStrings(service.markWindows.get('BTC-USD'))).toEqual(['51000']);
  });

  it('does not fall back to lastPrice when last is present but null', async () => {
    const { service, logger } = makeService({ broker: scriptedBroker({}, quote({ last: null, lastPrice: '51000' })) });
    await service.updateMarks();
    expect(service.markWindows.get('BTC-USD')).toEqual([]);
    expect(logger.at('error')).toHaveLength(2);
  });

  it('rejects a zero price', async () => {
    const { service, logger } = makeService({ broker: scriptedBroker({}, quote({ last: new Decimal(0) })) });
    await service.updateMarks();
    expect(service.markWindows.get('BTC-USD')).toEqual([]);
    expect(logger.at('error')[0]?.message).toBe('Error updating mark for BTC-USD: Invalid mark price: 0 for BTC-USD');
  });

  it('rejects a price whose exponent overflows to Infinity: nothing non-finite enters a window', async () => {
    const { service, logger } = makeService({ broker: scriptedBroker({}, quote({ last: '1e9000000000000001' })) });
    await service.updateMarks();
    expect(service.markWindows.get('BTC-USD')).toEqual([]);
    expect(logger.at('error')[0]?.message).toBe(
      'Error updating mark for BTC-USD: Invalid mark price: "1e9000000000000001" for BTC-USD',
    );
  });

  it('uses the clock when the quote has no usable timestamp', async () => {
    const { service, risk, clock } = makeService({
      broker: scriptedBroker({ 'BTC-USD': quote({ ts: undefined }), 'ETH-USD': quote({ ts: 'yesterday' }) }),
    });
    await service.updateMarks();
    expect(risk.lastMarkUpdate.get('BTC-USD')).toEqual(clock.now());
    expect(risk.lastMarkUpdate.get('ETH-USD')).toEqual(clock.now());
  });
});

describe('MarketDataService trimming', () => {
  const counting = () => {
    let n = 0;
    return scriptedBroker({}, () => quote({ last: new Decimal(50000 + n++) }));
  };

  it('trims each window to max(shortMa, longMa) + 5 after 60 updates', async () => {
    const { service } = makeService({ broker: counting(), symbols: ['BTC-USD'] });
    for (let i = 0; i < 60; i++) await service.updateMarks();
    expect(service.markWindows.size('BTC-USD')).toBe(55);
  });

  it('keeps the newest marks, oldest first', async () => {
    const { service } = makeService({ broker: counting(), symbols: ['BTC-USD'] });
    for (let i = 0; i < 60; i++) await service.updateMarks();
    const expected = Array.from({ length: 55 }, (_, i) => String(50005 + i));
    expect(asStrings(service.markWindows.get('BTC-USD'))).toEqual(expected);
  });
});

describe('MarketDataService shared state', () => {
  it('writes into the store it was given, so other holders see the marks', async () => {
    const shared = new MarkWindows({ limit: 3 });
    const { service } = makeService({ markWindows: shared });
    await service.updateMarks();
    expect(asStrings(shared.get('BTC-USD'))).toEqual(['50000']);
  });

  it('loses no mark when ten updates run concurrently', async () => {
    const { service } = makeService();
    await Promise.all(Array.from({ length: 10 }, () => service.updateMarks()));
    expect(service.markWindows.size('BTC-USD')).toBe(10);
    expect(service.markWindows.size('ETH-USD')).toBe(10);
  });

  it('stores the quote timestamp itself with the risk manager', async () => {
    const { service, risk } = makeService();
    await service.updateMarks();
    expect(risk.lastMarkUpdate.get('BTC-USD')).toEqual(QUOTE_TS);
  });

  it('keeps the mark when the risk manager throws, logging at debug', async () => {
    const throwing = {
      recordMarkUpdate: () => {
        throw new Error('risk store unavailable');
      },
    };
    const { service, logger } = makeService({ riskManager: throwing });
    await service.updateMarks();
    expect(asStrings(service.markWindows.get('BTC-USD'))).toEqual(['50000']);
    expect(logger.at('error')).toEqual([]);
    expect(logger.at('debug').map((r) => r.message)).toEqual([
      'Failed to update mark timestamp for BTC-USD: risk store unavailable',
      'Failed to update mark timestamp for ETH-USD: risk store unavailable',
    ]);
  });
});

describe('MarketDataService with concurrent fetching', () => {
  it('applies effects in symbol order with the same result as the sequential path', async () => {
    const symbols = ['A-USD', 'B-USD', 'C-USD', 'D-USD'];
    const delays: Record<string, number> = { 'A-USD': 30, 'B-USD': 1, 'C-USD': 15, 'D-USD': 5 };
    const broker = {
      getQuote: async (symbol: string) => {
        await new Promise((r) => setTimeout(r, delays[symbol]));
        if (symbol === 'C-USD') throw new Error('boom');
        return quote({ last: new Decimal(symbol.charCodeAt(0)) }) as never;
      },
    };
    const sequential = makeService({ broker, symbols });
    const parallel = makeService({ broker, symbols, concurrency: 4 });
    await sequential.service.updateMarks();
    await parallel.service.updateMarks();
    expect(parallel.service.markWindows.snapshot()).toEqual(sequential.service.markWindows.snapshot());
    expect(parallel.logger.records).toEqual(sequential.logger.records);
    expect([...parallel.risk.lastMarkUpdate.entries()]).toEqual([...sequential.risk.lastMarkUpdate.entries()]);
  });
});
