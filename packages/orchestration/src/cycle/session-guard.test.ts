import { afterEach, describe, expect, it } from 'vitest';
import { SessionGuard, parseTimeOfDay } from './session-guard.js';

const at = (iso: string) => new Date(iso);
// 2026-03-02 is a Monday; 2026-03-07 a Saturday.
const canary = new SessionGuard({ start: '14:00', end: '15:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] });

describe('SessionGuard (UTC)', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it.each([
    ['one millisecond before the start', '2026-03-02T13:59:59.999Z', false],
    ['exactly at the start', '2026-03-02T14:00:00.000Z', true],
    ['inside the window', '2026-03-02T14:30:00.000Z', true],
    ['exactly at the end (inclusive, as in the reference)', '2026-03-02T15:00:00.000Z', true],
    ['one millisecond after the end', '2026-03-02T15:00:00.001Z', false],
    ['inside the window on a Saturday', '2026-03-07T14:30:00.000Z', false],
    ['inside the window on a Sunday', '2026-03-08T14:30:00.000Z', false],
    ['inside the window on a Friday', '2026-03-06T14:30:00.000Z', true],
  ])('%s: open=%s', (_name, iso, open) => {
    expect(canary.isOpen(at(iso))).toBe(open);
  });

  it('reads the clock in UTC whatever the machine’s time zone (the reference used local time)', () => {
    process.env.TZ = 'Asia/Tokyo'; // 14:30 UTC is 23:30 in Tokyo
    expect(new Date('2026-03-02T14:30:00.000Z').getHours()).toBe(23);
    expect(canary.isOpen(at('2026-03-02T14:30:00.000Z'))).toBe(true);
    // Friday 23:30 UTC is Saturday in Tokyo; the day is the UTC day.
    const fridayLate = new SessionGuard({ days: ['fri'] });
    expect(fridayLate.isOpen(at('2026-03-06T23:30:00.000Z'))).toBe(true);
  });

  it('wraps midnight when the start is after the end', () => {
    const night = new SessionGuard({ start: '22:00', end: '02:00' });
    expect(night.isOpen(at('2026-03-02T23:00:00Z'))).toBe(true);
    expect(night.isOpen(at('2026-03-03T00:00:00Z'))).toBe(true);
    expect(night.isOpen(at('2026-03-03T02:00:00Z'))).toBe(true);
    expect(night.isOpen(at('2026-03-03T02:00:01Z'))).toBe(false);
    expect(night.isOpen(at('2026-03-02T21:59:59Z'))).toBe(false);
  });

  it('is always open with no window and no days, and applies days alone', () => {
    expect(new SessionGuard().isOpen(at('2026-03-07T03:00:00Z'))).toBe(true);
    expect(new SessionGuard().describe()).toBe('always');
    const weekdays = new SessionGuard({ days: ['mon', 'tue', 'wed', 'thu', 'fri'] });
    expect(weekdays.isOpen(at('2026-03-07T03:00:00Z'))).toBe(false);
    expect(weekdays.isOpen(at('2026-03-06T03:00:00Z'))).toBe(true);
    expect(canary.describe()).toBe('14:00–15:00 UTC mon,tue,wed,thu,fri');
  });

  it('rejects malformed times and a window with only one end', () => {
    expect(parseTimeOfDay('14:00')).toBe(14 * 3600_000);
    expect(parseTimeOfDay('23:59:59')).toBe(86_399_000);
    for (const bad of ['24:00', '9:00', '14:60', 'noon', '']) expect(parseTimeOfDay(bad)).toBeUndefined();
    expect(() => new SessionGuard({ start: '25:00', end: '26:00' })).toThrow(/start "25:00" is not a time of day/);
    expect(() => new SessionGuard({ start: '14:00' })).toThrow(/both a start and an end/);
  });
});
