import { DeterministicBroker } from '@perps-bot/broker-adapters';
import { ManualClock, MemoryEventStore, MemoryLogger, type LogFields } from '@perps-bot/core';
import { StreamingService } from '@perps-bot/market-data';
import { ScriptedStreamSource, type StreamScript } from '@perps-bot/market-data/testing';
import { LiveRiskManager } from '@perps-bot/risk';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BOT_CONFIG, type BotConfig } from './bot-config.js';
import { PerpsBot } from './perps-bot.js';
import { ServiceRegistry } from './service-registry.js';

const ticker = (product_id: string, price: string) => ({ message: { product_id, best_bid: price, best_ask: price } });

async function streamingBot(
  options: {
    config?: Partial<BotConfig>;
    env?: NodeJS.ProcessEnv;
    script?: StreamScript;
    logger?: MemoryLogger;
    streamSource?: boolean;
  } = {},
) {
  const clock = new ManualClock('2026-03-01T12:00:00.000Z');
  const logger = options.logger ?? new MemoryLogger();
  const events = new MemoryEventStore({ clock });
  const source = new ScriptedStreamSource(options.script ?? { connections: [[ticker('BTC-USD', '50000')]] }, {
    advance: (ms) => clock.advance(ms),
  });
  const bot = new PerpsBot({
    config: {
      ...DEFAULT_BOT_CONFIG,
      symbols: ['BTC-USD'],
      profile: 'canary',
      enableStreaming: true,
      ...options.config,
    },
    registry: new ServiceRegistry({
      broker: new DeterministicBroker({ seed: 3, clock }),
      riskManager: new LiveRiskManager({ clock }),
      eventStore: events,
    }),
    logger,
    clock,
    env: options.env ?? {},
    ...(options.streamSource === false ? {} : { streamSource: source }),
    streaming: { sleep: async () => undefined },
  });
  await bot.initialize();
  return { bot, source, events, logger, clock };
}

const exits = (events: MemoryEventStore) => events.metrics().filter((m) => m.event_type === 'ws_stream_exit').length;

describe('PerpsBot streaming wiring', () => {
  it('builds the StreamingService by default, on the one MarkWindows the bot and the MarketDataService hold', async () => {
    const { bot } = await streamingBot({ config: { enableStreaming: false } });
    expect(bot.streamingMode).toBe('new');
    expect(bot.streamingService).toBeInstanceOf(StreamingService);
    expect(bot.streamingService?.markWindows).toBe(bot.markWindows);
    expect(bot.marketDataService?.markWindows).toBe(bot.markWindows);
    expect(bot.streamingService?.symbols).toBe(bot.symbols);
  });

  it.each([
    [{ USE_NEW_STREAMING_SERVICE: 'false' }],
    [{ USE_NEW_STREAMING_SERVICE: 'yes' }],
    [{ USE_NEW_MARKET_DATA_SERVICE: 'false' }],
  ])('uses the legacy loop with %j (the service needs its flag and a MarketDataService)', async (env) => {
    const { bot, source, events } = await streamingBot({ env });
    expect(bot.streamingService).toBeUndefined();
    expect(bot.streamingMode).toBe('legacy');
    await source.whenIdle();
    expect(bot.markWindows.get('BTC-USD')?.map(String)).toEqual(['50000']);
    await bot.shutdown();
    expect(exits(events)).toBe(1);
  });

  it.each([
    ['true', 'true', 'new', 'new'],
    ['true', 'false', 'new', 'legacy'],
    ['shadow', 'true', 'shadow', 'new'],
    ['shadow', 'false', 'shadow', 'legacy'],
    ['false', 'true', 'legacy', 'legacy'],
    ['false', 'false', 'legacy', 'legacy'],
  ] as const)(
    'runs what the mode plan says: market data %s, streaming %s → REST %s, stream %s',
    async (rest, stream, restMarks, streaming) => {
      const { bot } = await streamingBot({
        config: { enableStreaming: false },
        env: { USE_NEW_MARKET_DATA_SERVICE: rest, USE_NEW_STREAMING_SERVICE: stream },
      });
      expect(bot.modePlan).toMatchObject({ restMarks, streaming, overruled: rest === 'false' && stream === 'true' });
      expect(bot.marketDataMode).toBe(restMarks);
      expect(bot.streamingMode).toBe(streaming);
      expect(bot.marketDataService === undefined).toBe(restMarks === 'legacy');
      expect(bot.streamingService === undefined).toBe(streaming === 'legacy');
      expect(bot.marketMonitor).toBeDefined();
    },
  );

  it.each<[Partial<BotConfig>, boolean]>([
    [{ profile: 'canary' }, true],
    [{ profile: 'prod' }, true],
    [{ profile: 'dev' }, true],
    [{ profile: 'canary', enableStreaming: false }, false],
    [{ profile: 'dev', enableStreaming: false }, false],
  ])(
    'starts streaming at initialisation when enabled and a stream source is given: %j → %s',
    async (config, started) => {
      const { bot, source } = await streamingBot({ config });
      expect(source.opens.length).toBe(started ? 1 : 0);
      expect(bot.streamingService?.isRunning()).toBe(started);
      await bot.shutdown();
    },
  );

  it('in dev, does not start when the broker cannot stream and no source is given (canary and prod still try)', async () => {
    const { bot, logger, events } = await streamingBot({ config: { profile: 'dev' }, streamSource: false });
    expect(bot.streamingService?.isRunning()).toBe(false);
    expect(logger.at('info').map((r) => r.message)).toContain(
      'Streaming is enabled but deterministic cannot stream and no stream source is configured; REST marks only',
    );
    expect(exits(events)).toBe(0);
    await bot.shutdown();
  });

  it.each([
    [0, 1],
    [2, 2],
  ])('opens the stream at streamLevel %d as level %d', async (streamLevel, level) => {
    const { bot, source } = await streamingBot({ config: { streamLevel } });
    expect(source.opens[0]).toEqual({ method: 'streamOrderbook', symbols: ['BTC-USD'], level });
    await bot.shutdown();
  });

  it('lands REST and streamed marks in the same window, and shutdown stops the stream', async () => {
    const { bot, source, events } = await streamingBot();
    await source.whenIdle();
    await bot.updateMarks();
    expect(bot.markWindows.size('BTC-USD')).toBe(2);
    expect(bot.markWindows.get('BTC-USD')?.[0]?.toString()).toBe('50000');
    await bot.shutdown();
    expect(bot.streamingService?.isRunning()).toBe(false);
    expect(exits(events)).toBe(1);
    expect(bot.running).toBe(false);
  });

  it('heartbeats the market monitor and stamps the risk manager for every streamed mark', async () => {
    const { bot, source } = await streamingBot({
      script: { connections: [[{ gapMs: 9_000 }, ticker('BTC-USD', '1')]] },
    });
    await source.whenIdle();
    // The monitor started every symbol at 12:00:00; the streamed mark 9 s later moved both clocks.
    expect(bot.marketMonitor?.lastUpdate('BTC-USD')?.toISOString()).toBe('2026-03-01T12:00:09.000Z');
    expect(bot.riskManager.lastMarkUpdate.get('BTC-USD')?.toISOString()).toBe('2026-03-01T12:00:09.000Z');
    expect(bot.marketMonitor?.isStale('BTC-USD')).toBe(false);
    await bot.shutdown();
  });

  it('streams from a broker that cannot: a warning, an error, and the loop ends', async () => {
    const { bot, events, logger } = await streamingBot({ streamSource: false });
    await bot.streamingService?.done;
    expect(logger.at('warn').map((r) => r.message)).toEqual([
      'Orderbook stream unavailable, falling back to trades: deterministic does not support streamOrderbook',
    ]);
    expect(logger.at('error').map((r) => r.message)).toEqual([
      'Failed to start streaming trades: deterministic does not support streamTrades',
    ]);
    expect(exits(events)).toBe(1);
    await bot.shutdown();
  });

  it('logs and carries on when starting the stream throws', async () => {
    class ThrowingOnStart extends MemoryLogger {
      override info(message: string, fields?: LogFields): void {
        if (message.startsWith('Started WS streaming')) throw new Error('log sink full');
        super.info(message, fields);
      }
    }
    const logger = new ThrowingOnStart();
    const { bot } = await streamingBot({ logger });
    expect(logger.at('error')).toEqual([
      { level: 'error', message: 'Failed to start streaming background worker', fields: { error: 'log sink full' } },
    ]);
    await bot.shutdown();
  });
});
