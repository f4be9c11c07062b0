import { MemoryEventStore, MemoryLogger } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { configFingerprint, EXPERIMENT_EVENT, eventStoreSink, storedRecord } from './experiment-record.js';

describe('experiment records', () => {
  it('fingerprints settings stably, whatever the key order, and refuses a credential', () => {
    expect(configFingerprint({ a: 1, b: [1, 2] })).toBe(configFingerprint({ b: [1, 2], a: 1 }));
    expect(configFingerprint({ a: 1 })).not.toBe(configFingerprint({ a: 2 }));
    expect(configFingerprint({ a: 1 })).toMatch(/^[0-9a-f]{8}$/);
    expect(() => configFingerprint({ apiPrivateKey: 'x' })).toThrow(/looks like a credential/);
  });

  it('never stores a value under a key that names a credential, however deep', () => {
    const stored = JSON.stringify(
      storedRecord({
        experiment: 'rest-marks',
        cycle: 1,
        symbols: ['BTC-PERP'],
        fingerprint: 'f',
        outcome: 'mismatch',
        differences: [
          {
            symbol: 'BTC-PERP',
            effect: 'log',
            control: [{ fields: { apiKeyName: 'organizations/o/apiKeys/k', privateKey: 'PEM-SECRET' } }],
            candidate: { nested: { apiSecret: 'SECRET-2', jwt: 'eyJ', authorization: 'Bearer x' } },
          },
        ],
      }),
    );
    for (const secret of ['organizations/o/apiKeys/k', 'PEM-SECRET', 'SECRET-2', 'eyJ', 'Bearer x'])
      expect(stored).not.toContain(secret);
    expect(stored).toContain('[redacted]');
  });

  it('appends experiment_result events and survives a failing store', () => {
    const store = new MemoryEventStore();
    const logger = new MemoryLogger();
    const record = { experiment: 'execution', cycle: 2, symbols: ['X'], fingerprint: 'f', outcome: 'match' as const };
    eventStoreSink(store, 'bot', logger)({ ...record, durations: { controlMs: 1.23456, candidateMs: 0.5 } });
    expect(store.events.map((e) => [e.type, e.payload])).toEqual([
      [EXPERIMENT_EVENT, { ...record, durations: { controlMs: 1.235, candidateMs: 0.5 } }],
    ]);
    store.appendEvent = () => {
      throw new Error('disk full');
    };
    eventStoreSink(store, 'bot', logger)(record);
    expect(logger.records.map((r) => r.message)).toEqual([
      "Could not store the execution experiment's record: disk full",
    ]);
  });
});
