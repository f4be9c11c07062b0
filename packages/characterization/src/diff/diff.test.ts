import { describe, expect, it } from 'vitest';
import type { Json } from '../json/canonical.js';
import { diffJson } from './diff.js';
import { formatDiff } from './format.js';
import { align } from './sequence.js';

const append = (cycle: number, mark: string, extra: Record<string, Json> = {}): Json => ({
  cycle,
  effect: 'windows.append',
  symbol: 'BTC-PERP',
  mark,
  limit: 8,
  dropped: 0,
  ...extra,
});
const risk = (cycle: number): Json => ({
  cycle,
  effect: 'risk.recordMarkUpdate',
  args: ['BTC-PERP', '2026-03-01T12:00:00.000Z'],
});

describe('align', () => {
  it('keeps common prefix and suffix and finds a single insertion', () => {
    const ops = align(['a', 'b', 'c'], ['a', 'x', 'b', 'c']);
    expect(ops.filter((o) => o.op !== 'equal')).toEqual([{ op: 'insert', j: 1 }]);
  });

  it('aligns sequences too long for the table greedily: a dropped effect per message is one missing entry each', () => {
    const expected = Array.from({ length: 4_000 }, (_, i) => `effect ${i}`);
    const received = expected.filter((_, i) => i % 4 !== 1);
    received[2_000] = 'changed';
    const ops = align(expected, received).filter((o) => o.op !== 'equal');
    expect(ops.filter((o) => o.op === 'delete').length).toBe(1_001);
    expect(ops.filter((o) => o.op === 'insert')).toEqual([{ op: 'insert', j: 2_000 }]);
    expect(ops.slice(0, 2)).toEqual([
      { op: 'delete', i: 1 },
      { op: 'delete', i: 5 },
    ]);
  });

  it('finds a deletion in the middle', () => {
    const ops = align(['a', 'b', 'c', 'd'], ['a', 'c', 'd']);
    expect(ops.filter((o) => o.op !== 'equal')).toEqual([{ op: 'delete', i: 1 }]);
  });
});

describe('diffJson', () => {
  it('finds nothing in equal documents whatever their key order', () => {
    expect(diffJson({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 })).toEqual([]);
  });

  it('reports one missing effect as one difference, not as every later entry changed', () => {
    const expected = { channels: { effects: [append(0, '1'), risk(0), append(1, '2'), risk(1)] } };
    const received = { channels: { effects: [append(0, '1'), append(1, '2'), risk(1)] } };
    expect(diffJson(expected, received)).toEqual([
      {
        section: 'channels.effects',
        at: '[1]',
        kind: 'missing',
        context: 'cycle 0 · risk.recordMarkUpdate · BTC-PERP',
        expected: risk(0),
      },
    ]);
  });

  it('reduces a changed effect to the fields that differ', () => {
    const [d] = diffJson({ effects: [append(3, '10')] }, { effects: [append(3, '10', { limit: 12 })] });
    expect(d).toMatchObject({
      section: 'effects',
      at: '[0]',
      kind: 'changed',
      context: 'cycle 3 · windows.append · BTC-PERP',
    });
    expect(d?.fields).toEqual([{ path: 'limit', expected: 8, received: 12 }]);
  });

  it('names fields nested in arguments and fields present on one side only', () => {
    const [d] = diffJson(
      [{ effect: 'log.error', args: ['m', { symbol: 'A' }] }],
      [{ effect: 'log.error', args: ['m', { symbol: 'B' }], threw: 'x' }],
    );
    expect(d?.fields).toEqual([
      { path: 'args[1].symbol', expected: 'A', received: 'B' },
      { path: 'threw', received: 'x' },
    ]);
  });

  it('names a stream effect by its step, and an event-store write by its event type and symbol', () => {
    const metric = (mark: string): Json => ({
      at: 'conn 0 step 3',
      effect: 'eventStore.appendMetric',
      args: ['perps_bot', { event_type: 'ws_mark_update', symbol: 'ETH-USD', mark }],
    });
    const [d] = diffJson([metric('1')], [metric('2')]);
    expect(d).toMatchObject({ context: 'conn 0 step 3 · eventStore.appendMetric · ws_mark_update · ETH-USD' });
    expect(d?.fields).toEqual([{ path: 'args[1].mark', expected: '1', received: '2' }]);
  });

  it('reports final-state leaves by path', () => {
    expect(diffJson({ final: { risk: { BTC: 't1', ETH: 't2' } } }, { final: { risk: { BTC: 't1' } } })).toEqual([
      { section: 'final.risk', at: 'ETH', kind: 'missing', expected: 't2' },
    ]);
  });
});

describe('diffJson on effects that split, merge or move', () => {
  const order = (cycle: number, symbol: string, quantity: string): Json => ({
    cycle,
    effect: 'broker.placeOrder',
    args: [{ symbol, side: 'BUY', quantity, reduceOnly: false }],
  });
  const a = risk(0);
  const c = risk(2);

  it('shows one effect that became two as one missing and two unexpected, not a change plus a stray', () => {
    const b = order(1, 'BTC-PERP', '0.2');
    const expected = { effects: [a, b, c] };
    const received = { effects: [a, order(1, 'BTC-PERP', '0.1'), order(1, 'BTC-PERP', '0.1'), c] };
    expect(diffJson(expected, received).map((d) => `${d.kind} ${d.at} ${d.context}`)).toEqual([
      'missing [1] cycle 1 · broker.placeOrder · BTC-PERP',
      'unexpected [1] cycle 1 · broker.placeOrder · BTC-PERP',
      'unexpected [2] cycle 1 · broker.placeOrder · BTC-PERP',
    ]);
  });

  it('shows two effects that became one as two missing and one unexpected', () => {
    const expected = { effects: [a, order(1, 'BTC-PERP', '0.1'), order(1, 'BTC-PERP', '0.1'), c] };
    const received = { effects: [a, order(1, 'BTC-PERP', '0.2'), c] };
    expect(diffJson(expected, received).map((d) => `${d.kind} ${d.at}`)).toEqual([
      'missing [1]',
      'missing [2]',
      'unexpected [1]',
    ]);
  });

  it('keeps an inserted copy that equals the original as the one unexpected entry', () => {
    const b = order(1, 'BTC-PERP', '0.2');
    const diff = diffJson({ effects: [a, b, c] }, { effects: [a, b, order(1, 'BTC-PERP', '0.3'), c] });
    expect(diff).toEqual([
      {
        section: 'effects',
        at: '[2]',
        kind: 'unexpected',
        context: 'cycle 1 · broker.placeOrder · BTC-PERP',
        received: order(1, 'BTC-PERP', '0.3'),
      },
    ]);
  });

  it('pairs a changed effect with the received one about the same thing, not the one at the same index', () => {
    const expected = { effects: [a, order(1, 'ETH-PERP', '1'), order(1, 'BTC-PERP', '0.2'), c] };
    const received = { effects: [a, order(1, 'BTC-PERP', '0.3'), c] };
    const diff = diffJson(expected, received);
    expect(diff.map((d) => `${d.kind} ${d.at} ${d.context}`)).toEqual([
      'missing [1] cycle 1 · broker.placeOrder · ETH-PERP',
      'changed [2] (received [1]) cycle 1 · broker.placeOrder · BTC-PERP',
    ]);
    expect(diff[1]?.fields).toEqual([{ path: 'args[0].quantity', expected: '0.2', received: '0.3' }]);
  });

  it('prints a split effect as missing and unexpected lines', () => {
    const text = formatDiff(
      diffJson(
        { effects: [a, order(1, 'BTC-PERP', '0.2'), c] },
        { effects: [a, order(1, 'BTC-PERP', '0.1'), order(1, 'BTC-PERP', '0.1'), c] },
      ),
      { maxValueLength: 40 },
    );
    expect(text.split('\n')).toEqual([
      'effects: 3 differences',
      '  [1] cycle 1 · broker.placeOrder · BTC-PERP: missing (expected {"cycle":1,"effect":"broker.placeOrder"…)',
      '  [1] cycle 1 · broker.placeOrder · BTC-PERP: unexpected (received {"cycle":1,"effect":"broker.placeOrder"…)',
      '  [2] cycle 1 · broker.placeOrder · BTC-PERP: unexpected (received {"cycle":1,"effect":"broker.placeOrder"…)',
    ]);
  });
});

describe('formatDiff', () => {
  it('says which channel, which entry, which field, expected and received', () => {
    const text = formatDiff(
      diffJson(
        { channels: { effects: [append(0, '1'), risk(0)] } },
        { channels: { effects: [append(0, '1', { limit: 12 }), risk(0)] } },
      ),
    );
    expect(text).toBe(
      [
        'channels.effects: 1 difference',
        '  [0] cycle 0 · windows.append · BTC-PERP',
        '      limit: expected 8, received 12',
      ].join('\n'),
    );
  });

  it('shows identical changes once, so a different change is not hidden behind them', () => {
    const expected = Array.from({ length: 40 }, (_, i) => append(i, String(i), i === 30 ? { dropped: 1 } : {}));
    const received = Array.from({ length: 40 }, (_, i) => append(i, String(i), { limit: 12 }));
    const text = formatDiff(diffJson({ effects: expected }, { effects: received }));
    expect(text).toContain('effects: 40 differences');
    expect(text).toContain(
      '[0] cycle 0 · windows.append · BTC-PERP (same change in 38 more: [1], [2], [3], [4], [5], [6], …)',
    );
    expect(text).toContain(
      '[30] cycle 30 · windows.append · BTC-PERP\n      dropped: expected 1, received 0\n      limit: expected 8, received 12',
    );
    expect(text.split('\n').length).toBeLessThan(10);
  });

  it('caps each section and says how many more there are', () => {
    const expected = Array.from({ length: 12 }, (_, i) => String(i));
    const received = Array.from({ length: 12 }, (_, i) => `x${i}`);
    const text = formatDiff(diffJson({ w: expected }, { w: received }), { maxPerSection: 2 });
    expect(text.split('\n')).toEqual([
      'w: 12 differences',
      '  [0]: expected "0", received "x0"',
      '  [1]: expected "1", received "x1"',
      '  … and 10 more in w',
    ]);
  });

  it('marks missing and unexpected entries and cuts long values', () => {
    const text = formatDiff(diffJson({ w: ['1'] }, { w: ['1', 'y'.repeat(400)] }), { maxValueLength: 20 });
    expect(text).toBe(`w: 1 difference\n  [1]: unexpected (received "${'y'.repeat(18)}…)`);
    expect(formatDiff([])).toBe('no differences');
  });
});
