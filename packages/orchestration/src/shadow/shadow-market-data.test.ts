import { Decimal, ManualClock, MemoryLogger, type Brokerage, type Clock, type QuoteSource } from '@perps-bot/core';
import { MarketDataService, type MarketDataServiceOptions } from '@perps-bot/market-data';
import { LiveRiskManager } from '@perps-bot/risk';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BOT_CONFIG } from '../bot-config.js';
import { PerpsBot, type PerpsBotOptions } from '../perps-bot.js';
import { ServiceRegistry } from '../service-registry.js';
import { makeBot } from '../test-utils.js';
import { ShadowMismatchError } from './shadow-market-data.js';

const SYMBOLS = ['BTC-PERP', 'ETH-PERP'];

/** A broker whose every answer differs (a counter), so a second fetch would give the candidate other quotes. */
function countingBroker(options: { withTs?: boolean } = {}) {
  let calls = 0;
  const broker: QuoteSource = {
    getQuote: async (symbol) => {
      calls++;
      const price = new Decimal(100 + calls);
      return {
        symbol,
        bid: price,
        ask: price,
        last: price,
        ...(options.withTs === false ? {} : { ts: new Date(Date.UTC(2026, 2, 1, 0, 0, calls)) }),
      } as never;
    },
  };
  return { broker, calls: () => calls };
}

/** A candidate that keeps four marks too many: the on-purpose break of the issue. */
const trimsLate = (options: MarketDataServiceOptions) => {
  // The scratch store is the shadow's own per cycle; widening its trim breaks only the candidate.
  (options.markWindows as { limit: number }).limit += 4;
  return new MarketDataService(options);
};

async function shadowBot(
  options: {
    broker?: QuoteSource;
    shadow?: PerpsBotOptions['shadow'];
    risk?: LiveRiskManager;
    clock?: Clock;
    mode?: string;
  } = {},
) {
  const logger = new MemoryLogger();
  const clock = options.clock ?? new ManualClock('2026-03-01T12:00:00.000Z');
  const bot = new PerpsBot({
    config: { ...DEFAULT_BOT_CONFIG, symbols: SYMBOLS, shortMa: 1, longMa: 2 },
    registry: new ServiceRegistry({
      broker: (options.broker ?? countingBroker().broker) as Brokerage,
      riskManager: options.risk ?? new LiveRiskManager({ clock }),
    }),
    logger,
    clock,
    env: { USE_NEW_MARKET_DATA_SERVICE: options.mode ?? 'shadow' },
    ...(options.shadow ? { shadow: options.shadow } : {}),
  });
  await bot.initialize();
  return { bot, logger };
}

async function cycles(bot: PerpsBot, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await bot.updateMarks();
}

describe('PerpsBot with USE_NEW_MARKET_DATA_SERVICE=shadow', () => {
  it('applies the legacy effects once, fetches each quote once and reports every comparison as matched', async () => {
    const counting = countingBroker();
    const { bot, logger } = await shadowBot({ broker: counting.broker });
    expect(bot.marketDataMode).toBe('shadow');
    await cycles(bot, 10);
    expect(counting.calls()).toBe(20);
    // BTC got 101, 103, …, 119; the limit is max(1, 2) + 5 = 7.
    expect(bot.markWindows.get('BTC-PERP')?.map(String)).toEqual(['107', '109', '111', '113', '115', '117', '119']);
    expect(bot.riskManager.lastMarkUpdate.size).toBe(2);
    expect(logger.records).toEqual([]);
    expect(bot.shadowReport()).toMatchObject({
      cycles: 10,
      runs: 20,
      matched: 20,
      mismatched: 0,
      ignored: 0,
      candidateErrors: 0,
      mismatches: [],
    });
  });

  it('has no report in the other modes', async () => {
    for (const mode of ['true', 'false']) {
      const { bot } = await shadowBot({ mode });
      expect(bot.shadowReport()).toBeUndefined();
    }
  });

  it('reports a broken candidate per symbol and cycle, warns, and still applies only the legacy effects', async () => {
    const legacy = await makeBot({
      broker: countingBroker().broker,
      env: { USE_NEW_MARKET_DATA_SERVICE: 'false' },
      config: { symbols: SYMBOLS, shortMa: 1, longMa: 2 },
    });
    await cycles(legacy.bot, 10);
    const { bot, logger } = await shadowBot({ shadow: { candidate: trimsLate, maxMismatchRecords: 3 } });
    await cycles(bot, 10);
    expect(bot.markWindows.snapshot()).toEqual(legacy.bot.markWindows.snapshot());
    const report = bot.shadowReport();
    expect(report).toMatchObject({ cycles: 10, runs: 20, matched: 0, mismatched: 20 });
    expect(report?.mismatches).toHaveLength(3);
    expect(report?.mismatches[2]).toEqual({
      symbol: 'ETH-PERP',
      cycle: 9,
      effect: 'window',
      control: [{ mark: '120', limit: 7, dropped: 1, window: ['108', '110', '112', '114', '116', '118', '120'] }],
      // The candidate starts each cycle from a copy of the real windows, so one cycle's break shows alone.
      candidate: [
        { mark: '120', limit: 11, dropped: 0, window: ['106', '108', '110', '112', '114', '116', '118', '120'] },
      ],
    });
    const warnings = logger.at('warn');
    expect(warnings).toHaveLength(20);
    expect(warnings[0]).toMatchObject({
      message: 'Shadow mismatch for BTC-PERP in cycle 0: window',
      fields: { symbol: 'BTC-PERP', cycle: 0, effect: 'window' },
    });
  });

  it('counts known differences under their ignore rule instead of as mismatches', async () => {
    const { bot, logger } = await shadowBot({
      shadow: {
        candidate: trimsLate,
        ignoreRules: [
          {
            name: 'wider-window-accepted',
            reason: 'the broken candidate trims one append late',
            ignores: (m) =>
              m.path === 'window' && m.context.experiment === 'mark-update' && m.context.symbol !== undefined,
          },
        ],
      },
    });
    await cycles(bot, 3);
    expect(bot.shadowReport()).toMatchObject({
      runs: 6,
      matched: 0,
      mismatched: 0,
      ignored: 6,
      ignoredByRule: { 'wider-window-accepted': 6 },
    });
    expect(logger.at('warn')).toEqual([]);
  });

  it('throws after applying the control’s effects when told to (tests only)', async () => {
    const { bot } = await shadowBot({ shadow: { candidate: trimsLate, throwOnMismatch: true } });
    const failure = bot.updateMarks();
    await expect(failure).rejects.toBeInstanceOf(ShadowMismatchError);
    await expect(failure).rejects.toThrow(
      /Shadow cycle 0: the candidate differs from the control\nBTC-PERP window: control \[\{"mark":"101","limit":7/,
    );
    expect(bot.markWindows.size('BTC-PERP')).toBe(1);
  });

  it('catches and records a candidate that throws', async () => {
    const { bot } = await shadowBot({
      shadow: {
        candidate: () => ({
          updateMarks: async () => {
            throw new Error('candidate exploded');
          },
        }),
      },
    });
    await bot.updateMarks();
    const report = bot.shadowReport();
    expect(report).toMatchObject({ candidateErrors: 1, mismatched: 2 });
    expect(report?.mismatches[0]).toEqual({
      symbol: '*',
      cycle: 0,
      effect: 'exception',
      control: null,
      candidate: 'candidate exploded',
    });
    expect(report?.mismatches.map((m) => m.effect)).toEqual([
      'exception',
      'fetch',
      'window',
      'risk',
      'fetch',
      'window',
      'risk',
    ]);
    expect(bot.markWindows.size('ETH-PERP')).toBe(1);
  });

  it('gives the candidate the control’s risk failures and clock readings, so equal code matches', async () => {
    let tick = Date.UTC(2026, 2, 1);
    const ticking: Clock = { now: () => new Date((tick += 7)) };
    class FlakyRisk extends LiveRiskManager {
      #n = 0;
      override recordMarkUpdate(symbol: string, at: Date): void {
        if (this.#n++ % 3 === 0) throw new Error(`risk busy #${this.#n}`);
        super.recordMarkUpdate(symbol, at);
      }
    }
    const { bot, logger } = await shadowBot({
      broker: countingBroker({ withTs: false }).broker,
      clock: ticking,
      risk: new FlakyRisk({ clock: ticking }),
    });
    await cycles(bot, 6);
    expect(logger.at('debug')).toHaveLength(4);
    expect(bot.shadowReport()).toMatchObject({ runs: 12, matched: 12, mismatched: 0 });
  });

  it('publishes each comparison', async () => {
    const results: string[] = [];
    const { bot } = await shadowBot({
      shadow: { onResult: (r) => results.push(`${r.cycle}:${r.symbol}:${r.outcome}`) },
    });
    await cycles(bot, 2);
    expect(results).toEqual(['0:BTC-PERP:matched', '0:ETH-PERP:matched', '1:BTC-PERP:matched', '1:ETH-PERP:matched']);
  });
});
