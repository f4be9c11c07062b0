import { describe, expect, it } from 'vitest';
import { compareRecordings } from '../../golden/compare.js';
import type { Recording } from '../kind.js';
import { KindRegistry } from '../registry.js';
import { streamKind } from './kind.js';
import { parseStreamScenario, type StreamScenario } from './scenario.js';

const base: StreamScenario = {
  name: 'x',
  description: 'x',
  symbols: ['BTC-USD'],
  shortMa: 1,
  longMa: 1,
  level: 1,
  connections: [
    [{ message: { product_id: 'BTC-USD', price: '1' } }, { gapMs: 5 }, { disconnect: 'reset' }],
    [{ end: true }],
  ],
};

describe('parseStreamScenario', () => {
  it('accepts a valid scenario as it is', () => {
    expect(parseStreamScenario(base)).toBe(base);
  });

  it.each([
    ['a name that is not kebab-case', { name: 'Bad Name' }, 'name: kebab-case'],
    ['an unknown field (a typo)', { stopat: { connection: 0, step: 0 } }, "Unrecognized key(s) in object: 'stopat'"],
    ['a step with a typo', { connections: [[{ mesage: {} }]] }, 'connections.0.0'],
    [
      'a step after the connection ended',
      { connections: [[{ end: true }, { gapMs: 1 }]] },
      'connections.0.1: unreachable: the connection has already ended',
    ],
    [
      'a stream that stays down with no bound on reopening',
      { whenExhausted: 'fail' },
      'reconnect: whenExhausted "fail" needs reconnect.maxAttempts',
    ],
    [
      'a stop at a step that does not exist',
      { stopAt: { connection: 1, step: 3 } },
      'stopAt: connection 1 has no step 3',
    ],
    ['a message JSON cannot hold', { connections: [[{ message: { price: Number.NaN } }]] }, 'connections.0.0'],
    [
      'a duplicate start at a step that does not exist',
      { lifecycle: [{ startAgainAt: { connection: 0, step: 9 } }] },
      'lifecycle.0.startAgainAt: connection 0 has no step 9',
    ],
    [
      'a run without an event store whose stream ends (its exit could not be seen)',
      { without: ['eventStore'], connections: [[{ disconnect: 'drop' }]] },
      'without: without an event store every connection must end idle',
    ],
    ['a lifecycle step of another kind', { lifecycle: [{ restart: true }] }, 'lifecycle.0'],
  ])('refuses %s, naming the field', (_name, change, message) => {
    expect(() => parseStreamScenario({ ...base, ...change })).toThrow(message);
  });
});

describe('the stream kind in a registry', () => {
  it('refuses a scenario that differs under a rule the kind does not have', () => {
    expect(() => new KindRegistry().register(streamKind, [{ ...base, differsUnder: 'no-such-rule' }])).toThrow(
      '"stream/x" differs under "no-such-rule", which is not an ignore rule of the kind (rules: bad-price-text, stream-reconnect, duplicate-start, no-symbols-log)',
    );
  });

  it('refuses a declared difference when there is no candidate to record it from', () => {
    const noCandidates = { ...streamKind, candidates: [] };
    expect(() => new KindRegistry().register(noCandidates, [{ ...base, differsUnder: 'stream-reconnect' }])).toThrow(
      'no candidate to record it from',
    );
  });

  it('names its control and candidate after the flag values they run', () => {
    expect(streamKind.control.description).toContain('USE_NEW_STREAMING_SERVICE=false');
    expect(streamKind.candidates.map((c) => c.description)).toEqual([
      expect.stringContaining('USE_NEW_STREAMING_SERVICE=true'),
    ]);
    const recording: Recording = { channels: { effects: [] }, final: { windows: {} } };
    const grown: Recording = { channels: { effects: [] }, final: { windows: { 'BTC-USD': ['1'] } } };
    // A final state that differs while the effects agree is no rule's consequence.
    expect(compareRecordings(recording, grown, streamKind.ignoreRules).status).toBe('mismatched');
  });
});
