import { describe, expect, it } from 'vitest';
import type { Json } from '../../json/canonical.js';
import { DEFAULT_GOLDEN_DIR, goldenPath, readJson, type GoldenRole } from '../../golden/store.js';
import { defaultRegistry } from '../../kinds/default-registry.js';
import { streamKind } from '../../kinds/stream/kind.js';

/** The catalogue as the registry holds it: the one list the record script and the golden tests use. */
const streamScenarios = defaultRegistry().scenarios(streamKind);

// The stream catalogue must keep covering what the issue lists (tickers, heartbeats, garbage frames, gaps,
// disconnects…) and every branch of both loops. These tests fail when a scenario that carried one is removed
// or changed so that it no longer does.

type Message = { [key: string]: Json };
const steps = streamScenarios.flatMap((s) => s.connections.flat());
const messages = steps.flatMap((step) => ('message' in step ? [step.message] : []));
const objects = messages.filter((m): m is Message => typeof m === 'object' && m !== null && !Array.isArray(m));

interface Effect {
  effect: string;
  args?: Json[];
  created?: boolean;
  dropped?: number;
  threw?: Json;
}
const effectsOf = (role: GoldenRole): Effect[] =>
  streamScenarios
    .filter((s) => role === 'control' || s.differsUnder !== undefined)
    .flatMap(
      (s) =>
        (
          readJson(goldenPath(DEFAULT_GOLDEN_DIR, 'stream', s.name, role)) as
            { channels?: { effects?: Effect[] } } | undefined
        )?.channels?.effects ?? [],
    );
const control = effectsOf('control');
const candidate = effectsOf('candidate');
const eventTypes = (effects: Effect[]) =>
  new Set(
    effects.filter((e) => e.effect === 'eventStore.appendMetric').map((e) => (e.args?.[1] as Message).event_type),
  );
const logs = (effects: Effect[], level: string) =>
  effects.filter((e) => e.effect === `log.${level}`).map((e) => String(e.args?.[0]));

describe('the stream catalogue', () => {
  it('has at least 15 scenarios, each named once', () => {
    expect(streamScenarios.length).toBeGreaterThanOrEqual(15);
    expect(new Set(streamScenarios.map((s) => s.name)).size).toBe(streamScenarios.length);
  });

  it('scripts every step: messages, gaps, disconnects, ends', () => {
    expect(new Set(steps.map((s) => Object.keys(s)[0])).size).toBe(4);
  });

  it('scripts tickers (best_bid/best_ask), bid/ask, last and price fallbacks, heartbeats and sequence gaps', () => {
    expect(objects.some((m) => m.best_bid !== undefined && m.best_ask !== undefined)).toBe(true);
    expect(objects.some((m) => m.best_bid === undefined && m.bid !== undefined && m.ask !== undefined)).toBe(true);
    expect(objects.some((m) => m.last !== undefined && m.best_ask === undefined)).toBe(true);
    expect(objects.some((m) => m.price !== undefined && m.last === undefined)).toBe(true);
    expect(objects.some((m) => m.channel === 'heartbeats' && m.product_id === undefined)).toBe(true);
    const sequence = objects.flatMap((m) => (typeof m.sequence_num === 'number' ? [m.sequence_num] : []));
    expect(sequence.some((n, i) => i > 0 && n !== (sequence[i - 1] as number) + 1)).toBe(true);
  });

  it('scripts garbage frames: strings, numbers, null, booleans, arrays', () => {
    const kinds = new Set(messages.map((m) => (m === null ? 'null' : Array.isArray(m) ? 'array' : typeof m)));
    expect([...kinds].sort()).toEqual(['array', 'boolean', 'null', 'number', 'object', 'string']);
  });

  it('scripts zero and negative prices, and symbols the bot does not trade', () => {
    expect(objects.some((m) => m.last === '0' || m.price === '0')).toBe(true);
    expect(objects.some((m) => typeof m.price === 'string' && m.price.startsWith('-'))).toBe(true);
    expect(
      streamScenarios.some((s) =>
        s.connections
          .flat()
          .some(
            (st) =>
              'message' in st &&
              typeof st.message === 'object' &&
              st.message !== null &&
              !Array.isArray(st.message) &&
              typeof st.message.product_id === 'string' &&
              st.message.product_id !== '' &&
              !s.symbols.includes(st.message.product_id),
          ),
      ),
    ).toBe(true);
  });

  it('scripts open failures, a stream that stays down, bookkeeping failures, a stop, many symbols and a long run', () => {
    expect(streamScenarios.some((s) => s.openFails === 'orderbook')).toBe(true);
    expect(streamScenarios.some((s) => s.openFails === 'both')).toBe(true);
    expect(streamScenarios.some((s) => s.whenExhausted === 'fail')).toBe(true);
    expect(streamScenarios.some((s) => s.risk !== undefined)).toBe(true);
    expect(streamScenarios.some((s) => s.eventStore !== undefined)).toBe(true);
    expect(streamScenarios.some((s) => s.stopAt !== undefined)).toBe(true);
    expect(Math.max(...streamScenarios.map((s) => s.symbols.length))).toBeGreaterThanOrEqual(10);
    expect(Math.max(...streamScenarios.map((s) => s.connections.flat().length))).toBeGreaterThanOrEqual(2_000);
  });

  it('reaches every effect of the legacy loop in its golden files', () => {
    const effects = new Set(control.map((e) => e.effect));
    for (const e of [
      'source.streamOrderbook',
      'source.streamTrades',
      'windows.append',
      'monitor.recordUpdate',
      'risk.recordMarkUpdate',
      'eventStore.appendMetric',
    ]) {
      expect(effects).toContain(e);
    }
    expect([...eventTypes(control)].sort()).toEqual(['ws_mark_update', 'ws_stream_error', 'ws_stream_exit']);
    expect(control.some((e) => e.effect === 'windows.append' && e.created === true)).toBe(true);
    expect(control.some((e) => e.effect === 'windows.append' && (e.dropped ?? 0) > 0)).toBe(true);
    expect(control.some((e) => e.effect === 'risk.recordMarkUpdate' && e.threw !== undefined)).toBe(true);
    expect(control.some((e) => e.effect === 'eventStore.appendMetric' && e.threw !== undefined)).toBe(true);
    expect(logs(control, 'warn')).toContain(
      'Orderbook stream unavailable, falling back to trades: orderbook stream unavailable',
    );
    expect(logs(control, 'error')).toEqual(
      expect.arrayContaining([
        'Failed to start streaming trades: trades stream unavailable',
        'WS mark update bookkeeping failed for BTC-USD',
        'Failed to record WS stream error metric',
        'Failed to record WS stream exit metric',
      ]),
    );
  });

  it('pins the StreamingService’s own behaviour in the candidate files: skip, reconnect, give up', () => {
    expect(eventTypes(candidate)).toContain('ws_stream_reconnect');
    expect(logs(candidate, 'warn').some((m) => m.startsWith('Skipping stream message with bad price'))).toBe(true);
    expect(logs(candidate, 'error')).toContain('WS stream stayed down after 3 reconnect attempts; giving up');
  });
});
