import { LiveRiskManager } from '@perps-bot/risk';
import { ManualClock } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECONNECT, reconnectDelayMs } from '@perps-bot/core';
import { makeStreaming, marksOf, START, ticker } from './test-utils.js';

const eventTypes = (f: ReturnType<typeof makeStreaming>) => f.events.metrics().map((m) => m.event_type);

describe('StreamingService reconnects (new behaviour "stream-reconnect")', () => {
  it('doubles the delay from 1 s up to 30 s (at the top of the jitter range)', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => reconnectDelayMs(DEFAULT_RECONNECT, n, () => 1))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000,
    ]);
  });

  it('jitters by default: equal jitter keeps half of each step, full jitter may go to zero', () => {
    const steps = [1, 2, 3, 6].map((n) => reconnectDelayMs(DEFAULT_RECONNECT, n, () => 0));
    expect(steps).toEqual([500, 1_000, 2_000, 15_000]);
    expect(reconnectDelayMs({ ...DEFAULT_RECONNECT, jitter: 'full' }, 3, () => 0.25)).toBe(1_000);
    expect(reconnectDelayMs({ ...DEFAULT_RECONNECT, jitter: 'none' }, 3, () => 0)).toBe(4_000);
  });

  it('the service waits a jittered delay, drawn from its random source, and records that delay', async () => {
    const draws = [0, 0.5];
    const f = makeStreaming(
      { connections: [[{ end: true }], [{ end: true }], []] },
      { random: () => draws.shift() ?? 1 },
    );
    f.service.start(1);
    for (let i = 0; i < 2; i++) {
      await f.sleeper.whenSleeping();
      f.sleeper.wakeAll();
    }
    await f.source.whenIdle();
    await f.service.stop();
    // Step 1 s at the bottom of the range, then step 2 s halfway: 500 ms and 1 500 ms, not 1 000 and 2 000.
    expect(f.sleeper.requested).toEqual([500, 1_500]);
    expect(
      f.events
        .metrics()
        .filter((m) => m.event_type === 'ws_stream_reconnect')
        .map((m) => m.delay_ms),
    ).toEqual([500, 1_500]);
  });

  it('records the drop, waits, then reopens and resubscribes, and marks flow again', async () => {
    const f = makeStreaming({
      connections: [[ticker('BTC-USD', '1', '1'), { disconnect: 'socket closed' }], [ticker('BTC-USD', '2', '2')]],
    });
    f.service.start(1);
    await f.sleeper.whenSleeping();
    expect(eventTypes(f)).toEqual(['ws_mark_update', 'ws_stream_error', 'ws_stream_reconnect']);
    expect(f.events.metrics()[1]).toEqual({ event_type: 'ws_stream_error', message: 'socket closed' });
    expect(f.events.metrics()[2]).toEqual({ event_type: 'ws_stream_reconnect', attempt: 1, delay_ms: 1_000 });
    expect(f.logger.at('warn').map((r) => r.message)).toEqual(['WS stream ended; reconnecting in 1000 ms (attempt 1)']);
    f.sleeper.wakeAll();
    await f.source.whenIdle();
    expect(f.source.opens.map((o) => o.method)).toEqual(['streamOrderbook', 'streamOrderbook']);
    expect(marksOf(f.windows, 'BTC-USD')).toEqual(['1', '2']);
    await f.service.stop();
    expect(eventTypes(f)).toEqual([
      'ws_mark_update',
      'ws_stream_error',
      'ws_stream_reconnect',
      'ws_mark_update',
      'ws_stream_exit',
    ]);
  });

  it('reopens a stream that ended without an error, writing no ws_stream_error', async () => {
    const f = makeStreaming({ connections: [[ticker('ETH-USD', '3', '3'), { end: true }], []] });
    f.service.start(1);
    await f.sleeper.whenSleeping();
    f.sleeper.wakeAll();
    await f.source.whenIdle();
    await f.service.stop();
    expect(eventTypes(f)).toEqual(['ws_mark_update', 'ws_stream_reconnect', 'ws_stream_exit']);
  });

  it('backs off further while reopened streams deliver nothing, and resets after a message', async () => {
    const f = makeStreaming({
      connections: [[{ end: true }], [{ end: true }], [ticker('BTC-USD', '5', '5'), { end: true }], []],
    });
    f.service.start(1);
    for (let i = 0; i < 3; i++) {
      await f.sleeper.whenSleeping();
      f.sleeper.wakeAll();
    }
    await f.source.whenIdle();
    await f.service.stop();
    // Two empty reopens double the delay; the third connection delivered a message, so its drop starts over.
    expect(f.sleeper.requested).toEqual([1_000, 2_000, 1_000]);
    expect(
      f.events
        .metrics()
        .filter((m) => m.event_type === 'ws_stream_reconnect')
        .map((m) => m.attempt),
    ).toEqual([1, 2, 1]);
  });

  it('gives up after maxAttempts reopen attempts without a message', async () => {
    const f = makeStreaming({ connections: [], whenExhausted: 'end' }, { reconnect: { maxAttempts: 2 } });
    f.service.start(1);
    for (let i = 0; i < 2; i++) {
      await f.sleeper.whenSleeping();
      f.sleeper.wakeAll();
    }
    await f.service.done;
    expect(f.service.isRunning()).toBe(false);
    expect(f.logger.at('error').map((r) => r.message)).toEqual([
      'WS stream stayed down after 2 reconnect attempts; giving up',
    ]);
    expect(eventTypes(f)).toEqual(['ws_stream_reconnect', 'ws_stream_reconnect', 'ws_stream_exit']);
  });

  it('keeps trying when a reopen fails to open at all', async () => {
    const f = makeStreaming(
      { connections: [[{ disconnect: 'reset' }]], whenExhausted: 'fail' },
      { reconnect: { maxAttempts: 2 } },
    );
    f.service.start(1);
    for (let i = 0; i < 2; i++) {
      await f.sleeper.whenSleeping();
      f.sleeper.wakeAll();
    }
    await f.service.done;
    expect(f.logger.at('error').map((r) => r.message)).toEqual([
      'Failed to start streaming trades: stream unavailable (script exhausted)',
      'Failed to start streaming trades: stream unavailable (script exhausted)',
      'WS stream stayed down after 2 reconnect attempts; giving up',
    ]);
  });

  it('stops while waiting to reconnect, without reopening', async () => {
    const f = makeStreaming({ connections: [[{ end: true }]] });
    f.service.start(1);
    await f.sleeper.whenSleeping();
    await f.service.stop();
    expect(f.source.opens).toHaveLength(1);
    expect(eventTypes(f)).toEqual(['ws_stream_reconnect', 'ws_stream_exit']);
  });
});

describe('a stream that stays down', () => {
  it('writes no mark timestamps, so the risk manager sees the marks go stale after its threshold', async () => {
    const clock = new ManualClock(START);
    const risk = new LiveRiskManager({ clock, config: { maxMarkStalenessSeconds: 180 } });
    const f = makeStreaming(
      { connections: [[ticker('BTC-USD', '100', '100'), { disconnect: 'network down' }]], whenExhausted: 'end' },
      { clock, riskSink: risk },
    );
    f.service.start(1);
    await f.sleeper.whenSleeping();
    expect(risk.lastMarkUpdate.get('BTC-USD')?.toISOString()).toBe(START);
    // Each backoff lets time pass; the reopened streams deliver nothing.
    while (clock.now().getTime() - Date.parse(START) < 180_000) {
      expect(risk.isMarkStale('BTC-USD')).toBe(false);
      const delay = f.sleeper.requested.at(-1) ?? 0;
      clock.advance(Math.min(delay, 180_000 - (clock.now().getTime() - Date.parse(START))));
      f.sleeper.wakeAll();
      await f.sleeper.whenSleeping();
    }
    expect(risk.markAgeMs('BTC-USD')).toBe(180_000);
    expect(risk.isMarkStale('BTC-USD')).toBe(false);
    clock.advance(1);
    expect(risk.isMarkStale('BTC-USD')).toBe(true);
    expect(risk.lastMarkUpdate.get('BTC-USD')?.toISOString()).toBe(START);
    expect(f.events.metrics().filter((m) => m.event_type === 'ws_stream_reconnect').length).toBeGreaterThan(3);
    await f.service.stop();
  });
});
