import { Decimal } from '@perps-bot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MarkWindows } from './mark-windows.js';

describe('MarkWindows', () => {
  it('creates a missing window on append and reads oldest → newest', () => {
    const windows = new MarkWindows();
    windows.append('BTC', new Decimal(1), 3);
    windows.append('BTC', new Decimal(2), 3);
    expect(windows.get('BTC')?.map(String)).toEqual(['1', '2']);
    expect(windows.latest('BTC')?.toString()).toBe('2');
  });

  it('trims a window pre-filled past its limit on the next append', () => {
    const windows = MarkWindows.fromRecord({ BTC: [1, 2, 3, 4, 5].map((n) => new Decimal(n)) });
    windows.append('BTC', new Decimal(6), 3);
    expect(windows.get('BTC')?.map(String)).toEqual(['4', '5', '6']);
  });

  it('tells observers what each append did', () => {
    const windows = new MarkWindows();
    const seen: unknown[] = [];
    const stop = windows.observe((e) => seen.push({ ...e, mark: e.mark.toString() }));
    windows.append('BTC', new Decimal(1), 1);
    windows.append('BTC', new Decimal(2), 1);
    stop();
    windows.append('BTC', new Decimal(3), 1);
    expect(seen).toEqual([
      { symbol: 'BTC', mark: '1', limit: 1, created: true, dropped: 0, size: 1 },
      { symbol: 'BTC', mark: '2', limit: 1, created: false, dropped: 1, size: 1 },
    ]);
  });

  it('matches copy-and-slice for any sequence of appends and limits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 20 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 12 })), { maxLength: 400 }),
        (initial, appends) => {
          const windows = MarkWindows.fromRecord({ S: initial.map((n) => new Decimal(n)) });
          let model = initial.map(String);
          for (const [value, limit] of appends) {
            windows.append('S', new Decimal(value), limit);
            model = [...model, String(value)];
            if (model.length > limit) model = model.slice(model.length - limit);
          }
          expect(windows.get('S')?.map(String)).toEqual(model);
          expect(windows.size('S')).toBe(model.length);
        },
      ),
    );
  });
});
