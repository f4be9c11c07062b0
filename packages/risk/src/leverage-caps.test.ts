import { describe, expect, it } from 'vitest';
import { isDaytime, leverageCaps, maintenanceMarginRate } from './leverage-caps.js';
import { parseRiskConfig } from './risk-config.js';

const at = (hhmm: string) => new Date(`2026-01-01T${hhmm}:00Z`);

describe('isDaytime', () => {
  it('is undefined without a window', () => {
    expect(isDaytime({ daytimeStartUtc: null, daytimeEndUtc: null }, at('12:00'))).toBeUndefined();
  });

  it.each([
    ['07:59', false],
    ['08:00', true],
    ['19:59', true],
    ['20:00', false],
  ])('window 08:00–20:00 at %s → %s (start inclusive, end exclusive)', (time, day) => {
    expect(isDaytime({ daytimeStartUtc: '08:00', daytimeEndUtc: '20:00' }, at(time))).toBe(day);
  });

  it.each([
    ['21:59', false],
    ['22:00', true],
    ['03:00', true],
    ['06:00', false],
  ])('window 22:00–06:00 spans midnight: at %s → %s', (time, day) => {
    expect(isDaytime({ daytimeStartUtc: '22:00', daytimeEndUtc: '06:00' }, at(time))).toBe(day);
  });
});

describe('leverageCaps and maintenanceMarginRate', () => {
  const config = parseRiskConfig({
    maxLeverage: 5,
    leverageMaxPerSymbol: { 'BTC-PERP': 10, 'ETH-PERP': 3 },
    daytimeStartUtc: '08:00',
    daytimeEndUtc: '20:00',
    dayLeverageMaxPerSymbol: { 'ETH-PERP': 2 },
    nightMmrPerSymbol: { 'BTC-PERP': '0.02' },
  });

  it.each([
    { symbol: 'BTC-PERP', time: '12:00', product: null, symbolCap: '10', effective: '5' },
    { symbol: 'ETH-PERP', time: '12:00', product: null, symbolCap: '2', effective: '2' },
    { symbol: 'ETH-PERP', time: '22:00', product: null, symbolCap: '3', effective: '3' },
    { symbol: 'SOL-PERP', time: '12:00', product: null, symbolCap: '5', effective: '5' },
    { symbol: 'BTC-PERP', time: '12:00', product: 4, symbolCap: '4', effective: '4' },
  ])('$symbol at $time (product max $product) → symbol cap $symbolCap, effective $effective', (row) => {
    const caps = leverageCaps(row.symbol, config, at(row.time), row.product);
    expect([caps.symbolCap.toFixed(), caps.effectiveCap.toFixed()]).toEqual([row.symbolCap, row.effective]);
  });

  it('uses the night MMR at night and the default otherwise', () => {
    expect(maintenanceMarginRate('BTC-PERP', config, at('22:00')).toFixed()).toBe('0.02');
    expect(maintenanceMarginRate('BTC-PERP', config, at('12:00')).toFixed()).toBe('0.005');
  });
});
