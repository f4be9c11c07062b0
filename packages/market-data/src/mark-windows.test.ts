import { ConfigError, Decimal } from '@perps-bot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MarkWindows } from './mark-windows.js';

describe('MarkWindows', () => {
  it('creates a missing window on append and reads oldest → newest', () => {
    const windows = new MarkWindows({ limit: 3 });
    windows.append('BTC', new Decimal(1));
    windows.append('BTC', new Decimal(2));
    expect(windows.get('BTC')?.map(String)).toEqual(['1', '2']);
    expect(windows.latest('BTC')?.toString()).toBe('2');
  });

  it('trims a window pre-filled past its limit on the next append', () => {
    const windows = MarkWindows.fromRecord({ BTC: [1, 2, 3, 4, 5].map((n) => new Decimal(n)) }, 3);
    windows.append('BTC', new Decimal(6));
    expect(windows.get('BTC')?.map(String)).toEqual(['4', '5', '6']);
  });

  it('carries the reference trim rule for moving averages: max(shortMa, longMa) + 5', () => {
    expect(MarkWindows.forAverages(5, 20).limit).toBe(25);
    expect(MarkWindows.forAverages(30, 10).limit).toBe(35);
  });

  it('refuses a limit that is not a whole number of at least 1, naming the setting', () => {
    for (const limit of [0, -1, 2.5, Number.NaN]) {
      expect(() => new MarkWindows({ limit })).toThrow(ConfigError);
    }
  });

  it('copies into an independent store with the same limit and marks', () => {
    const windows = MarkWindows.fromRecord({ BTC: [new Decimal(1)] }, 2);
    const copy = windows.copy();
    copy.append('BTC', new Decimal(2));
    copy.append('BTC', new Decimal(3));
    expect(copy.limit).toBe(2);
    expect(copy.get('BTC')?.map(String)).toEqual(['2', '3']);
    expect(windows.get('BTC')?.map(String)).toEqual(['1']);
  });

  it('tells observers what each append did', () => {
    const windows = new MarkWindows({ limit: 1 });
    const seen: unknown[] = [];
    const stop = windows.observe((e) => seen.push({ ...e, mark: e.mark.toString() }));
    windows.append('BTC', new Decimal(1));
    windows.append('BTC', new Decimal(2));
    stop();
    windows.append('BTC', new Decimal(3));
    expect(seen).toEqual([
      { symbol: 'BTC', mark: '1', limit: 1, created: true, dropped: 0, size: 1 },
      { symbol: 'BTC', mark: '2', limit: 1, created: false, dropped: 1, size: 1 },
    ]);
  });

  it('matches copy-and-slice for any sequence of appends and limits', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 20 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.integer({ min: 1, max: 1_000_000 }), { maxLength: 400 }),
        (initial, limit, appends) => {
          const windows = MarkWindows.fromRecord({ S: initial.map((n) => new Decimal(n)) }, limit);
          let model = initial.map(String);
          for (const value of appends) {
            windows.append('S', new Decimal(value));
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
