import { describe, expect, it } from 'vitest';
import { runStreamOnBot, STREAM_CLOCK_START } from './run-on-bot.js';
import type { StreamScenario } from './scenario.js';

const scenario = (s: Partial<StreamScenario>): StreamScenario => ({
  name: 'run',
  description: 'a run',
  symbols: ['BTC-USD', 'ETH-USD'],
  shortMa: 2,
  longMa: 3,
  level: 1,
  connections: [],
  ...s,
});
const tick = (product_id: string, bid: string, ask: string) => ({
  message: { product_id, best_bid: bid, best_ask: ask },
});
const at = STREAM_CLOCK_START;

describe('runStreamOnBot', () => {
  it.each(['false', 'true'] as const)(
    'records one ticker’s effects in the order the loop makes them (flag %s)',
    async (flag) => {
      const { channels, final } = await runStreamOnBot(
        scenario({ connections: [[tick('BTC-USD', '50000.10', '50000.30')]] }),
        { flag },
      );
      expect(channels.effects).toEqual([
        {
          at: 'init',
          effect: 'log.info',
          args: [
            "Started WS streaming thread for symbols=['BTC-USD', 'ETH-USD'] level=1",
            { symbols: ['BTC-USD', 'ETH-USD'], level: 1 },
          ],
        },
        {
          at: 'init',
          effect: 'source.streamOrderbook',
          args: [['BTC-USD', 'ETH-USD'], 1, { $abortSignal: 'live' }],
          returned: { $asyncIterable: true },
        },
        // (50000.10 + 50000.30) / 2, into a window of limit max(2, 3) + 5
        {
          at: 'conn 0 step 0',
          effect: 'windows.append',
          symbol: 'BTC-USD',
          mark: '50000.2',
          limit: 8,
          created: false,
          dropped: 0,
          size: 1,
        },
        { at: 'conn 0 step 0', effect: 'monitor.recordUpdate', args: ['BTC-USD'] },
        { at: 'conn 0 step 0', effect: 'risk.recordMarkUpdate', args: ['BTC-USD', at] },
        {
          at: 'conn 0 step 0',
          effect: 'eventStore.appendMetric',
          args: ['perps_bot', { event_type: 'ws_mark_update', symbol: 'BTC-USD', mark: '50000.2' }],
        },
        // The script is used up, the stream sits idle; shutdown stops it and the loop writes its exit.
        { at: 'shutdown', effect: 'eventStore.appendMetric', args: ['perps_bot', { event_type: 'ws_stream_exit' }] },
      ]);
      expect(final).toEqual({ windows: { 'BTC-USD': ['50000.2'], 'ETH-USD': [] }, riskTimestamps: { 'BTC-USD': at } });
    },
  );

  it('moves the manual clock on gaps, so risk timestamps say when each mark arrived', async () => {
    const run = await runStreamOnBot(
      scenario({ connections: [[tick('BTC-USD', '1', '1'), { gapMs: 90_000 }, tick('BTC-USD', '2', '2')]] }),
      { flag: 'true' },
    );
    const risk = run.channels.effects?.filter((e) => (e as { effect: string }).effect === 'risk.recordMarkUpdate');
    expect(risk?.map((e) => (e as { args: unknown[] }).args[1])).toEqual([at, '2026-03-01T12:01:30.000Z']);
  });

  it('stops the bot at the scenario’s step: the ticker in flight is delivered but not applied', async () => {
    const s = scenario({
      stopAt: { connection: 0, step: 1 },
      connections: [[tick('BTC-USD', '1', '1'), tick('BTC-USD', '2', '2'), tick('BTC-USD', '3', '3')]],
    });
    for (const flag of ['false', 'true'] as const) {
      const run = await runStreamOnBot(s, { flag });
      expect(run.final.windows).toEqual({ 'BTC-USD': ['1'], 'ETH-USD': [] });
      expect(run.channels.effects?.at(-1)).toEqual({
        at: 'stop',
        effect: 'eventStore.appendMetric',
        args: ['perps_bot', { event_type: 'ws_stream_exit' }],
      });
    }
  });

  it('passes reconnect waits through the manual clock (the candidate only: legacy never reconnects)', async () => {
    const s = scenario({ connections: [[{ disconnect: 'reset' }], [tick('ETH-USD', '4', '4')]] });
    const run = await runStreamOnBot(s, { flag: 'true' });
    const risk = run.channels.effects?.find((e) => (e as { effect: string }).effect === 'risk.recordMarkUpdate');
    // The first reopen waits the policy's initial delay, 1 s.
    expect(risk).toMatchObject({ at: 'conn 1 step 0', args: ['ETH-USD', '2026-03-01T12:00:01.000Z'] });
  });

  it('makes no REST call and lets a test break the candidate on purpose', async () => {
    const s = scenario({ connections: [[tick('BTC-USD', '1', '1')]] });
    const run = await runStreamOnBot(s, {
      flag: 'true',
      patch: (bot) => {
        const monitor = bot.marketMonitor;
        if (monitor) monitor.recordUpdate = () => undefined;
      },
    });
    const effects = run.channels.effects?.map((e) => (e as { effect: string }).effect);
    expect(effects).not.toContain('monitor.recordUpdate');
    expect(effects?.some((e) => e.startsWith('broker.'))).toBe(false);
  });
});
