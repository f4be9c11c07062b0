import type { LogRecord } from '@perps-bot/core';
import type { FaultRecord } from '@perps-bot/exchange-sim';
import { describe, expect, it } from 'vitest';
import { matchFaults, unexplainedGaps } from './fault-matching.js';

const at = '2026-01-01T00:00:00.000Z';
const fault = (f: Omit<FaultRecord, 'at'>): FaultRecord => ({ ...f, at });
const log = (message: string, fields: Record<string, unknown> = {}): LogRecord => ({ level: 'warn', message, fields });
const routeOf = (_method: string, path: string) =>
  path.endsWith('/ticker') ? 'ticker' : path.endsWith('/accounts') ? 'accounts' : undefined;

describe('matchFaults', () => {
  it('matches REST faults by request id, one record each', () => {
    const faults = [
      fault({ kind: 'http_429', route: 'ticker', requestNo: 3 }),
      fault({ kind: 'http_5xx', route: 'accounts', requestNo: 1 }),
    ];
    const records = [
      log('Coinbase GET /accounts failed', { endpoint: 'GET /accounts', requestId: 'sim-accounts-1' }),
      log('Error updating mark', { requestId: 'sim-ticker-3' }), // not the adapter's record (no endpoint)
      {
        level: 'debug' as const,
        message: 'Coinbase GET /products/{product_id}/ticker → 429',
        fields: { endpoint: 'GET /products/{product_id}/ticker', requestId: 'sim-ticker-3' },
      },
      log('Coinbase GET /products/{product_id}/ticker failed', {
        endpoint: 'GET /products/{product_id}/ticker',
        requestId: 'sim-ticker-3',
      }),
    ];
    const m = matchFaults(faults, records, routeOf);
    expect(m.unmatched).toEqual([]);
    expect(m.matches.map((x) => x.record)).toEqual([3, 0]);
  });

  it('leaves a fault unmatched when its record is missing, and never uses one record twice', () => {
    const faults = [
      fault({ kind: 'timeout', route: 'ticker', requestNo: 1 }),
      fault({ kind: 'timeout', route: 'ticker', requestNo: 2 }),
    ];
    const records = [
      log('Coinbase … timed out', {
        endpoint: 'GET /products/{product_id}/ticker',
        path: '/api/v3/brokerage/products/X/ticker',
        code: 'TIMEOUT',
      }),
    ];
    const m = matchFaults(faults, records, routeOf);
    expect(m.unmatched).toEqual([faults[1]]);
  });

  it('takes a timeout on the same route for a broken answer that came after the adapter stopped waiting, after real timeouts chose', () => {
    const timedOut = (n: number) =>
      log(`Coinbase GET … timed out ${n}`, {
        endpoint: 'GET /products/{product_id}/ticker',
        path: '/api/v3/brokerage/products/X/ticker',
        code: 'TIMEOUT',
      });
    const faults = [
      fault({ kind: 'malformed_body', route: 'ticker', requestNo: 4 }),
      fault({ kind: 'timeout', route: 'ticker', requestNo: 5 }),
      fault({ kind: 'http_5xx', route: 'accounts', requestNo: 2 }),
    ];
    const m = matchFaults(faults, [timedOut(1), timedOut(2)], routeOf);
    expect(m.matches.map((x) => x.record)).toEqual([1, 0, undefined]);
    expect(m.unmatched).toEqual([faults[2]]);
    expect(matchFaults(faults.slice(0, 2), [timedOut(1)], routeOf).unmatched).toEqual([faults[0]]);
  });

  it('matches garbage frames by sequence number and drops one record each', () => {
    const faults = [
      fault({ kind: 'ws_malformed', connection: 1, sequenceNum: 7 }),
      fault({ kind: 'ws_drop', connection: 1, sequenceNum: 9 }),
    ];
    const records = [log('Ignoring a Coinbase WebSocket frame that is not JSON', { sequenceNum: 6 })];
    expect(matchFaults(faults, records, routeOf).unmatched).toHaveLength(2);
    const fixed = [
      log('Ignoring a Coinbase WebSocket frame that is not JSON', { sequenceNum: 7 }),
      log('Coinbase WebSocket lost (closed with code 1006); the stream ends here and its owner reconnects'),
    ];
    expect(matchFaults(faults, fixed, routeOf).unmatched).toEqual([]);
  });

  it('lets one gap record cover as many losses as it says were missed, no more', () => {
    const faults = [4, 5, 9].map((sequenceNum) => fault({ kind: 'ws_gap', connection: 1, sequenceNum }));
    const gap = (expected: number, received: number) =>
      log(`Coinbase WebSocket sequence gap: expected ${expected}, got ${received}; resubscribing`, {
        expected,
        received,
        missed: received - expected,
      });
    const m = matchFaults(faults, [gap(4, 6)], routeOf);
    expect(m.unmatched.map((f) => f.sequenceNum)).toEqual([9]);
    const all = [gap(4, 6), gap(9, 10)];
    const full = matchFaults(faults, all, routeOf);
    expect(full.unmatched).toEqual([]);
    expect(unexplainedGaps(full, all)).toEqual([]);
    // A gap the simulator did not cause is reported as unexplained.
    const extra = [...all, gap(20, 21)];
    expect(unexplainedGaps(matchFaults(faults, extra, routeOf), extra)).toEqual([extra[2]]);
  });

  it('reports fault kinds it does not know', () => {
    expect(matchFaults([fault({ kind: 'ws_subscribe_timeout', connection: 1 })], [], routeOf).unknownKinds).toEqual([
      'ws_subscribe_timeout',
    ]);
  });
});
