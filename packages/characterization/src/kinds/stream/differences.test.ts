import { describe, expect, it } from 'vitest';
import type { Json } from '../../json/canonical.js';
import type { IgnoreRule, Mismatch } from '@perps-bot/core';
import { compareRecordings, sectionMismatches } from '../../golden/compare.js';
import type { Recording } from '../kind.js';
import { BAD_PRICE_TEXT, STREAM_IGNORE_RULES, STREAM_RECONNECT } from './ignore-rules.js';
import { defaultRegistry } from '../default-registry.js';
import { legacyStreamRunner, streamingServiceRunner, streamKind } from './kind.js';
import { runStreamOnBot } from './run-on-bot.js';
import type { StreamScenario } from './scenario.js';

// USE_NEW_STREAMING_SERVICE=false (legacy loop) vs =true (StreamingService), live, on the whole catalogue.
// Every scenario must match exactly, except the ones listed here, which must differ exactly as their
// named rule says. The list is written out on purpose: a rule that stops firing, a rule that fires where
// it is not expected, and a difference no rule names all fail this file.

const EXPECTED_DIFFERENCES: Record<string, readonly string[]> = {
  'bad-price-text': [
    'bad-price-text',
    'bad-price-empty-text',
    'bad-price-not-text',
    'event-store-fails-on-error-and-exit',
  ],
  'stream-reconnect': [
    'disconnect-mid-stream',
    'disconnect-before-first-message',
    'stream-ends',
    'stream-stays-down',
    'backoff-resets-after-a-good-connection',
    'backoff-counts-heartbeats-as-delivery',
    'stop-during-reconnect-wait',
    'stop-during-second-reconnect-wait',
    'reconnect-metric-fails',
  ],
  'duplicate-start': ['duplicate-start'],
  'no-symbols-log': ['no-symbols'],
};

const stream = defaultRegistry().kind(streamKind);
const byName = (name: string): StreamScenario => defaultRegistry().scenario(streamKind, name);

async function runBoth(scenario: StreamScenario) {
  return { control: await legacyStreamRunner.run(scenario), candidate: await streamingServiceRunner.run(scenario) };
}

const metrics = (run: Recording): Json[] =>
  (run.channels.effects ?? []).flatMap((e) => {
    const entry = e as { effect?: string; args?: Json[] };
    return entry.effect === 'eventStore.appendMetric' && entry.args ? [entry.args[1] as Json] : [];
  });

describe('legacy loop vs StreamingService over the stream catalogue', () => {
  it('declares exactly the expected differences, one rule each, and every rule is used', () => {
    const declared: Record<string, string[]> = {};
    for (const s of stream.scenarios) if (s.differsUnder) (declared[s.differsUnder] ??= []).push(s.name);
    expect(declared).toEqual(EXPECTED_DIFFERENCES);
    expect(STREAM_IGNORE_RULES.map((r) => r.name)).toEqual(Object.keys(EXPECTED_DIFFERENCES));
  });

  it('matches on every other scenario; each expected difference is ignored under its rule, and counted', async () => {
    const tally: Record<string, number> = {};
    const unexpected: string[] = [];
    for (const scenario of stream.scenarios) {
      const { control, candidate } = await runBoth(scenario);
      const result = compareRecordings(control, candidate, STREAM_IGNORE_RULES);
      const outcome = result.status === 'ignored' ? result.rule : result.status;
      tally[outcome] = (tally[outcome] ?? 0) + 1;
      const expected =
        Object.entries(EXPECTED_DIFFERENCES).find(([, names]) => names.includes(scenario.name))?.[0] ?? 'matched';
      if (outcome !== expected)
        unexpected.push(
          `${scenario.name}: expected ${expected}, got ${outcome}${result.status === 'mismatched' ? `\n${result.message}` : ''}`,
        );
    }
    expect(unexpected).toEqual([]);
    const differing = Object.values(EXPECTED_DIFFERENCES).flat().length;
    expect(tally).toEqual({
      matched: stream.scenarios.length - differing,
      'bad-price-text': 4,
      'stream-reconnect': 9,
      'duplicate-start': 1,
      'no-symbols-log': 1,
    });
  });

  it('bad-price-text: the legacy loop ends at the bad price, the service skips it and applies the next mark', async () => {
    const { control, candidate } = await runBoth(byName('bad-price-text'));
    expect(metrics(control)).toEqual([
      { event_type: 'ws_mark_update', symbol: 'BTC-USD', mark: '1' },
      { event_type: 'ws_stream_error', message: 'Invalid price "abc" in stream message for ETH-USD' },
      { event_type: 'ws_stream_exit' },
    ]);
    expect(metrics(candidate)).toEqual([
      { event_type: 'ws_mark_update', symbol: 'BTC-USD', mark: '1' },
      { event_type: 'ws_mark_update', symbol: 'BTC-USD', mark: '2' },
      { event_type: 'ws_stream_exit' },
    ]);
    expect(control.final.windows).toMatchObject({ 'BTC-USD': ['1'] });
    expect(candidate.final.windows).toMatchObject({ 'BTC-USD': ['1', '2'] });
  });

  it('stream-reconnect: after a drop the legacy loop is gone; the service reopens, streams, and its marks carry the backoff time', async () => {
    const { control, candidate } = await runBoth(byName('disconnect-mid-stream'));
    expect(metrics(control).map((m) => (m as { event_type: string }).event_type)).toEqual([
      'ws_mark_update',
      'ws_stream_error',
      'ws_stream_exit',
    ]);
    expect(metrics(candidate)).toEqual([
      { event_type: 'ws_mark_update', symbol: 'BTC-USD', mark: '1' },
      { event_type: 'ws_stream_error', message: 'websocket closed: 1006' },
      { event_type: 'ws_stream_reconnect', attempt: 1, delay_ms: 1000 },
      { event_type: 'ws_mark_update', symbol: 'BTC-USD', mark: '2' },
      { event_type: 'ws_stream_exit' },
    ]);
    expect(candidate.final.riskTimestamps).toEqual({ 'BTC-USD': '2026-03-01T12:00:01.000Z' });
  });
});

describe('the named rules are precise', () => {
  it('a rule does not excuse the other rule’s difference', async () => {
    const badPrice = await runBoth(byName('bad-price-text'));
    const reconnect = await runBoth(byName('stream-ends'));
    const status = (run: { control: Recording; candidate: Recording }, rule: IgnoreRule) =>
      compareRecordings(run.control, run.candidate, [rule]).status;
    expect(status(badPrice, BAD_PRICE_TEXT)).toBe('ignored');
    expect(status(badPrice, STREAM_RECONNECT)).toBe('mismatched');
    expect(status(reconnect, STREAM_RECONNECT)).toBe('ignored');
    expect(status(reconnect, BAD_PRICE_TEXT)).toBe('mismatched');
  });

  it('accepts the final state that differs only together with the effects that explain it', async () => {
    const { control, candidate } = await runBoth(byName('bad-price-text'));
    const found = sectionMismatches(control, candidate, { experiment: 'stream', scenario: 'bad-price-text' });
    expect(found.map((m) => m.path)).toEqual(['channels.effects', 'final.windows']);
    expect(found.every((m) => BAD_PRICE_TEXT.ignores(m))).toBe(true);
    // The same windows difference, but in a comparison whose effects agree: nothing explains it.
    const windows = found[1] as Mismatch;
    const sameEffects = { control, candidate: { ...candidate, channels: control.channels } };
    expect(BAD_PRICE_TEXT.ignores({ ...windows, context: { ...windows.context, whole: sameEffects } })).toBe(false);
    expect(compareRecordings(control, sameEffects.candidate, STREAM_IGNORE_RULES)).toMatchObject({
      status: 'mismatched',
      message: expect.stringMatching(/^final\.windows/),
    });
  });

  it('a lost mark is a mismatch that names the effect, even in a scenario with a declared difference', async () => {
    const { control, candidate } = await runBoth(byName('bad-price-text'));
    const effects = candidate.channels.effects ?? [];
    const firstAppend = effects.findIndex((e) => (e as { effect?: string }).effect === 'windows.append');
    const lossy: Recording = { ...candidate, channels: { effects: effects.filter((_, i) => i !== firstAppend) } };
    const result = compareRecordings(control, lossy, STREAM_IGNORE_RULES);
    expect(result.status).toBe('mismatched');
    expect(result.status === 'mismatched' && result.message).toContain(
      'conn 0 step 0 · windows.append · BTC-USD: missing',
    );
  });

  it('a warning that looks like the rule’s does not excuse a loop that did not end there', async () => {
    const { control, candidate } = await runBoth(byName('tickers-two-symbols'));
    const effects = candidate.channels.effects ?? [];
    const fake: Json = {
      at: 'conn 0 step 0',
      effect: 'log.warn',
      args: ['Skipping stream message with bad price "x" for BTC-USD', { symbol: 'BTC-USD', rule: 'bad-price-text' }],
    };
    const tampered: Recording = {
      ...candidate,
      channels: { effects: [...effects.slice(0, 3), fake, ...effects.slice(3)] },
    };
    expect(compareRecordings(control, tampered, STREAM_IGNORE_RULES).status).toBe('mismatched');
  });

  it('a candidate that skips a bookkeeping step is caught as a mismatch naming that effect', async () => {
    const scenario = byName('tickers-two-symbols');
    const control = await legacyStreamRunner.run(scenario);
    const broken = await runStreamOnBot(scenario, {
      flag: 'true',
      patch: (bot) => {
        const monitor = bot.marketMonitor;
        if (monitor) monitor.recordUpdate = () => undefined;
      },
    });
    const result = compareRecordings(control, broken, STREAM_IGNORE_RULES);
    expect(result.status === 'mismatched' && result.message.split('\n')).toEqual([
      'channels.effects: 3 differences',
      '  [3] conn 0 step 0 · monitor.recordUpdate · BTC-USD: missing (expected {"at":"conn 0 step 0","effect":"monitor.recordUpdate","args":["BTC-USD"]})',
      '  [7] conn 0 step 1 · monitor.recordUpdate · ETH-USD: missing (expected {"at":"conn 0 step 1","effect":"monitor.recordUpdate","args":["ETH-USD"]})',
      '  [11] conn 0 step 3 · monitor.recordUpdate · BTC-USD: missing (expected {"at":"conn 0 step 3","effect":"monitor.recordUpdate","args":["BTC-USD"]})',
    ]);
  });
});
