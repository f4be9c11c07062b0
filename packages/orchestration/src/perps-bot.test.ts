import { Decimal, NotConfiguredError, MemoryLogger } from '@perps-bot/core';
import { MarketDataService } from '@perps-bot/market-data';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_BOT_CONFIG } from './bot-config.js';
import { PerpsBot } from './perps-bot.js';
import { ServiceRegistry } from './service-registry.js';
import { makeBot } from './test-utils.js';

const quoteFor = (symbol: string, price: string, ts?: Date) => ({
  symbol,
  bid: new Decimal(price),
  ask: new Decimal(price),
  last: new Decimal(price),
  ...(ts ? { ts } : {}),
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('PerpsBot initialisation', () => {
  it('starts with an empty window per symbol and zero order stats', async () => {
    const { bot } = await makeBot({ config: { symbols: ['BTC-USD', 'ETH-USD'] } });
    expect(bot.markWindows.snapshot()).toEqual({ 'BTC-USD': [], 'ETH-USD': [] });
    expect(bot.orderStats).toEqual({ attempted: 0, successful: 0, failed: 0, unknown: 0 });
    expect(bot.symbols).toEqual(['BTC-USD', 'ETH-USD']);
    expect(bot.running).toBe(false);
  });

  it('names the missing collaborator when the registry lacks it', () => {
    const registry = new ServiceRegistry();
    expect(() => registry.broker).toThrow(new NotConfiguredError('Broker'));
    expect(() => registry.riskManager).toThrow('Risk manager is not configured in the service registry');
  });

  it('refuses to initialise without a broker or a way to build one', async () => {
    const bot = new PerpsBot({ config: DEFAULT_BOT_CONFIG, logger: new MemoryLogger() });
    await expect(bot.initialize()).rejects.toThrow(NotConfiguredError);
  });

  it('builds broker and risk manager during bootstrap when the registry has none', async () => {
    const logger = new MemoryLogger();
    const created: string[] = [];
    const bot = new PerpsBot({
      config: DEFAULT_BOT_CONFIG,
      logger,
      createBroker: () => {
        created.push('broker');
        return { getQuote: async (s: string) => quoteFor(s, '10') } as never;
      },
    });
    await bot.initialize();
    expect(created).toEqual(['broker']);
    await bot.runCycle();
    expect(bot.riskManager.lastMarkUpdate.size).toBe(DEFAULT_BOT_CONFIG.symbols.length);
  });

  it('warns when no symbols are configured', async () => {
    const { logger, bot } = await makeBot({ config: { symbols: [] } });
    expect(logger.at('warn')[0]?.message).toMatch(/No symbols/);
    await bot.updateMarks();
    expect(bot.markWindows.symbols()).toEqual([]);
  });
});

describe('USE_NEW_MARKET_DATA_SERVICE', () => {
  it('defaults to the service, which shares the bot’s MarkWindows and symbol list', async () => {
    const { bot } = await makeBot();
    expect(bot.marketDataMode).toBe('new');
    expect(bot.marketDataService).toBeInstanceOf(MarketDataService);
    expect(bot.marketDataService?.markWindows).toBe(bot.markWindows);
    expect(bot.marketDataService?.symbols).toBe(bot.symbols);
  });

  it('delegates updateMarks to the service when on', async () => {
    vi.stubEnv('USE_NEW_MARKET_DATA_SERVICE', 'TRUE');
    const { bot } = await makeBot();
    const service = bot.marketDataService as MarketDataService;
    const delegated = vi.spyOn(service, 'updateMarks');
    const legacy = vi.spyOn(bot, 'updateMarksLegacy');
    await bot.updateMarks();
    expect(delegated).toHaveBeenCalledTimes(1);
    expect(legacy).not.toHaveBeenCalled();
    expect(bot.markWindows.size('BTC-USD')).toBe(1);
  });

  it('runs the legacy path when off, with no service built', async () => {
    vi.stubEnv('USE_NEW_MARKET_DATA_SERVICE', 'false');
    const { bot } = await makeBot();
    const legacy = vi.spyOn(bot, 'updateMarksLegacy');
    expect(bot.marketDataMode).toBe('legacy');
    expect(bot.marketDataService).toBeUndefined();
    await bot.updateMarks();
    expect(legacy).toHaveBeenCalledTimes(1);
    expect(bot.markWindows.size('BTC-USD')).toBe(1);
  });

  it('reads the flag at initialisation, not when the module is imported or on each update', async () => {
    vi.stubEnv('USE_NEW_MARKET_DATA_SERVICE', 'false');
    const { bot } = await makeBot();
    vi.stubEnv('USE_NEW_MARKET_DATA_SERVICE', 'true');
    await bot.updateMarks();
    expect(bot.marketDataMode).toBe('legacy');
  });

  it('runCycle updates marks', async () => {
    const { bot } = await makeBot();
    await bot.runCycle();
    await bot.runCycle();
    expect(bot.markWindows.size('BTC-USD')).toBe(2);
  });
});

describe('quoteBatching', () => {
  const batchingBroker = () => {
    const requests: string[][] = [];
    return {
      requests,
      getQuote: async (symbol: string) => {
        requests.push([symbol]);
        return quoteFor(symbol, '10') as never;
      },
      getQuotes: async (symbols: readonly string[]) => {
        requests.push([...symbols]);
        return new Map(symbols.map((s) => [s, quoteFor(s, '10')])) as never;
      },
    };
  };
  const symbols = ['BTC-USD', 'ETH-USD'];

  it('asks the broker once per cycle for all symbols when on', async () => {
    const broker = batchingBroker();
    const { bot } = await makeBot({
      broker,
      config: { symbols, quoteBatching: true },
      env: { USE_NEW_MARKET_DATA_SERVICE: 'true' },
    });
    await bot.updateMarks();
    expect(broker.requests).toEqual([symbols]);
    expect(bot.markWindows.size('ETH-USD')).toBe(1);
  });

  it('is on by default: one request per cycle for all symbols', async () => {
    const broker = batchingBroker();
    const { bot } = await makeBot({ broker, config: { symbols }, env: { USE_NEW_MARKET_DATA_SERVICE: 'true' } });
    await bot.updateMarks();
    expect(broker.requests).toEqual([symbols]);
  });

  it('quoteBatching false: one request per symbol', async () => {
    const broker = batchingBroker();
    const { bot } = await makeBot({
      broker,
      config: { symbols, quoteBatching: false },
      env: { USE_NEW_MARKET_DATA_SERVICE: 'true' },
    });
    await bot.updateMarks();
    expect(broker.requests).toEqual([['BTC-USD'], ['ETH-USD']]);
  });
});

describe('both mark paths give identical results', () => {
  const symbols = ['BTC-USD', 'ETH-USD', 'SOL-USD', 'XRP-USD'];
  const script = (cycle: number) => ({
    getQuote: async (symbol: string) => {
      if (symbol === 'ETH-USD' && cycle % 3 === 0) throw new Error('exchange timeout');
      if (symbol === 'SOL-USD' && cycle % 4 === 1) return null;
      if (symbol === 'XRP-USD') return { symbol, last: cycle % 2 === 0 ? '0.5' : '-1' };
      return quoteFor(
        symbol,
        String(100 + cycle),
        cycle % 5 === 0 ? undefined : new Date(Date.UTC(2026, 0, 1, 0, cycle)),
      );
    },
  });

  async function runPath(flag: string) {
    vi.stubEnv('USE_NEW_MARKET_DATA_SERVICE', flag);
    let cycle = 0;
    const broker = { getQuote: (symbol: string) => script(cycle).getQuote(symbol) } as never;
    const fixture = await makeBot({ broker, config: { symbols, shortMa: 2, longMa: 3 } });
    for (cycle = 0; cycle < 20; cycle++) {
      fixture.clock.advance(1000);
      await fixture.bot.updateMarks();
    }
    return {
      windows: fixture.bot.markWindows.snapshot(),
      risk: [...fixture.bot.riskManager.lastMarkUpdate.entries()],
      logs: fixture.logger.records,
    };
  }

  it('for the same quotes, windows, risk timestamps and logs are equal', async () => {
    const legacy = await runPath('false');
    const service = await runPath('true');
    expect(service).toEqual(legacy);
    expect(legacy.windows['BTC-USD']?.length).toBe(8);
    expect(legacy.logs.filter((r) => r.level === 'error').length).toBeGreaterThan(10);
  });
});

describe('bad input on the mark path', () => {
  const cases: Array<[string, () => unknown, string]> = [
    ['a null quote', () => null, 'No quote for ETH-USD'],
    ['a missing price', () => ({ symbol: 'ETH-USD', ts: new Date() }), 'Quote missing price for ETH-USD'],
    ['"abc"', () => ({ last: 'abc' }), 'Invalid mark price: "abc" for ETH-USD'],
    ['"-1"', () => ({ last: '-1' }), 'Invalid mark price: -1 for ETH-USD'],
    ['"0"', () => ({ last: '0' }), 'Invalid mark price: 0 for ETH-USD'],
    ['NaN', () => ({ last: Number.NaN }), 'Invalid mark price: NaN for ETH-USD'],
    [
      'a broker exception',
      () => {
        throw new Error('connection reset');
      },
      'connection reset',
    ],
  ];

  for (const flag of ['true', 'false']) {
    describe(`with USE_NEW_MARKET_DATA_SERVICE=${flag}`, () => {
      it.each(cases)(
        '%s logs an error naming the symbol and the other symbols still update',
        async (_name, answer, reason) => {
          vi.stubEnv('USE_NEW_MARKET_DATA_SERVICE', flag);
          const broker = {
            getQuote: async (symbol: string) => (symbol === 'ETH-USD' ? answer() : quoteFor(symbol, '100')),
          } as never;
          const { bot, logger } = await makeBot({ broker, config: { symbols: ['BTC-USD', 'ETH-USD', 'SOL-USD'] } });
          await bot.updateMarks();
          expect(logger.at('error').map((r) => r.message)).toEqual([`Error updating mark for ETH-USD: ${reason}`]);
          expect(logger.at('error')[0]?.fields).toMatchObject({ symbol: 'ETH-USD' });
          expect(bot.markWindows.size('BTC-USD')).toBe(1);
          expect(bot.markWindows.size('ETH-USD')).toBe(0);
          expect(bot.markWindows.size('SOL-USD')).toBe(1);
        },
      );
    });
  }
});
