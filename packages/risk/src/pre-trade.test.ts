import type { RiskRejectCode } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import type { RiskConfigInput } from './risk-config.js';
import { dec, LOOSE, order, perpProduct, position, setup, spotProduct, type OrderSpec } from './test-utils.js';

interface Row {
  readonly name: string;
  readonly config: RiskConfigInput;
  readonly order: OrderSpec;
  /** 'allowed', or the code the check must answer with. */
  readonly expect: 'allowed' | RiskRejectCode;
  /** Fragments the human reason must carry (the symbol and the numbers that decided). */
  readonly reason?: readonly string[];
  /** Clock for the check (the day/night rows). */
  readonly at?: string;
}

const run = (row: Row) => {
  const { risk } = setup({ ...LOOSE, ...row.config }, row.at);
  const decision = risk.preTradeCheck(order(row.order));
  if (row.expect === 'allowed') {
    expect(decision).toEqual({ allowed: true });
    return;
  }
  expect(decision.allowed).toBe(false);
  if (decision.allowed) return;
  expect(decision.code).toBe(row.expect);
  for (const fragment of row.reason ?? []) expect(decision.reason).toContain(fragment);
};

// Equity 1000 and price 100 throughout, so quantity q is a notional of 100·q and a leverage of q/10.
describe('leverage caps (perps only)', () => {
  const rows: Row[] = [
    {
      name: 'global cap 5: 5x exactly is allowed',
      config: { maxLeverage: 5 },
      order: { quantity: 50 },
      expect: 'allowed',
    },
    {
      name: 'global cap 5: 5.001x is rejected',
      config: { maxLeverage: 5 },
      order: { quantity: '50.01' },
      expect: 'LEVERAGE',
      reason: ['BTC-PERP', '5.001x', 'cap of 5x', 'notional 5001', 'equity 1000'],
    },
    {
      name: 'symbol cap 3 under global 5: 3x allowed',
      config: { maxLeverage: 5, leverageMaxPerSymbol: { 'BTC-PERP': 3 } },
      order: { quantity: 30 },
      expect: 'allowed',
    },
    {
      name: 'symbol cap 3 under global 5: 3.001x rejected naming the symbol cap',
      config: { maxLeverage: 5, leverageMaxPerSymbol: { 'BTC-PERP': 3 } },
      order: { quantity: '30.01' },
      expect: 'LEVERAGE',
      reason: ['BTC-PERP cap of 3x'],
    },
    {
      name: 'another symbol keeps the global cap',
      config: { maxLeverage: 5, leverageMaxPerSymbol: { 'ETH-PERP': 3 } },
      order: { quantity: 50 },
      expect: 'allowed',
    },
    {
      name: 'a symbol cap above the global cap: the global cap still holds',
      config: { maxLeverage: 5, leverageMaxPerSymbol: { 'BTC-PERP': 10 } },
      order: { quantity: '50.01' },
      expect: 'LEVERAGE',
      reason: ['global cap of 5x'],
    },
    {
      name: 'day cap 2 inside the daytime window: 2x allowed',
      config: {
        maxLeverage: 5,
        daytimeStartUtc: '08:00',
        daytimeEndUtc: '20:00',
        dayLeverageMaxPerSymbol: { 'BTC-PERP': 2 },
      },
      order: { quantity: 20 },
      expect: 'allowed',
    },
    {
      name: 'day cap 2 inside the daytime window: 2.001x rejected',
      config: {
        maxLeverage: 5,
        daytimeStartUtc: '08:00',
        daytimeEndUtc: '20:00',
        dayLeverageMaxPerSymbol: { 'BTC-PERP': 2 },
      },
      order: { quantity: '20.01' },
      expect: 'LEVERAGE',
    },
    {
      name: 'day cap does not apply at night',
      config: {
        maxLeverage: 5,
        daytimeStartUtc: '08:00',
        daytimeEndUtc: '20:00',
        dayLeverageMaxPerSymbol: { 'BTC-PERP': 2 },
      },
      order: { quantity: 50 },
      at: '2026-01-01T22:00:00Z',
      expect: 'allowed',
    },
    {
      name: 'night cap 4 at night: 4.001x rejected',
      config: {
        maxLeverage: 5,
        daytimeStartUtc: '08:00',
        daytimeEndUtc: '20:00',
        nightLeverageMaxPerSymbol: { 'BTC-PERP': 4 },
      },
      order: { quantity: '40.01' },
      at: '2026-01-01T22:00:00Z',
      expect: 'LEVERAGE',
    },
    {
      name: "the product's own leverage limit lowers the cap",
      config: { maxLeverage: 5 },
      order: { quantity: '20.01', product: perpProduct('BTC-PERP', { leverageMax: 2 }) },
      expect: 'LEVERAGE',
    },
    {
      name: 'spot skips leverage: 50x notional on spot is not a leverage question',
      config: { maxLeverage: 5 },
      order: { quantity: 500, product: spotProduct('BTC-USD') },
      expect: 'allowed',
    },
    {
      name: 'an increase is judged on the position after the fill (4x held + 1x = 5x allowed)',
      config: { maxLeverage: 5 },
      order: { quantity: 10, positions: [position('BTC-PERP', 40)] },
      expect: 'allowed',
    },
    {
      name: 'an increase is judged on the position after the fill (4x held + 1.001x rejected)',
      config: { maxLeverage: 5 },
      order: { quantity: '10.01', positions: [position('BTC-PERP', 40)] },
      expect: 'LEVERAGE',
      reason: ['5.001x'],
    },
    {
      name: 'a flip is judged on the order itself (sell 9.001x against a 4x long)',
      config: { maxLeverage: 5 },
      order: { side: 'SELL', quantity: '90.01', positions: [position('BTC-PERP', 40)] },
      expect: 'LEVERAGE',
    },
    {
      name: 'futures use the contract size (10 contracts × 0.5 × 100 = 500 = 0.5x)',
      config: { maxLeverage: '0.5' },
      order: {
        quantity: 10,
        product: perpProduct('BTC-FUT', {
          marketType: 'FUTURE',
          contractSize: perpProduct().contractSize.times('0.5'),
        }),
      },
      expect: 'allowed',
    },
  ];
  it.each(rows)('$name', run);
});

describe('liquidation buffer (perps only)', () => {
  // Cap 5, minimum 0.15: margin n/5 may use at most 85% of equity, so n ≤ 4250.
  const margin: RiskConfigInput = { maxLeverage: 5, minLiquidationBufferPct: '0.15' };
  // Cap 100 (margin never binds), MMR 0.1: maintenance 0.1·n may use at most 85% of equity, so n ≤ 8500.
  const projected: RiskConfigInput = {
    maxLeverage: 100,
    minLiquidationBufferPct: '0.15',
    enablePreTradeLiqProjection: true,
    defaultMaintenanceMarginRate: '0.1',
  };
  const rows: Row[] = [
    { name: 'buffer exactly 15% is allowed', config: margin, order: { quantity: '42.5' }, expect: 'allowed' },
    {
      name: 'buffer just under 15% is rejected',
      config: margin,
      order: { quantity: '42.51' },
      expect: 'LIQUIDATION_BUFFER',
      reason: ['BTC-PERP', 'liquidation buffer 14.98%', 'required 15%', 'margin needed 850.2'],
    },
    {
      name: 'spot skips the buffer',
      config: margin,
      order: { quantity: '42.51', product: spotProduct() },
      expect: 'allowed',
    },
    { name: 'projected buffer exactly 15% is allowed', config: projected, order: { quantity: 85 }, expect: 'allowed' },
    {
      name: 'projected buffer just under 15% is rejected',
      config: projected,
      order: { quantity: '85.01' },
      expect: 'LIQUIDATION_BUFFER',
      reason: ['projected liquidation buffer', 'MMR 0.1'],
    },
    {
      name: 'projection disabled lets the same order through',
      config: { ...projected, enablePreTradeLiqProjection: false },
      order: { quantity: '85.01' },
      expect: 'allowed',
    },
    {
      name: 'a day MMR replaces the default in the daytime window',
      config: {
        ...projected,
        daytimeStartUtc: '08:00',
        daytimeEndUtc: '20:00',
        dayMmrPerSymbol: { 'BTC-PERP': '0.2' },
      },
      order: { quantity: '42.51' },
      expect: 'LIQUIDATION_BUFFER',
    },
    {
      name: 'projection skips spot',
      config: projected,
      order: { quantity: '85.01', product: spotProduct() },
      expect: 'allowed',
    },
  ];
  it.each(rows)('$name', run);
});

describe('exposure caps (every product)', () => {
  const eth = position('ETH-PERP', 3, 200); // 600 of exposure elsewhere
  const rows: Row[] = [
    {
      name: 'per-symbol notional cap 2500: exactly at it is allowed',
      config: { maxNotionalPerSymbol: { 'BTC-PERP': 2500 } },
      order: { quantity: 25 },
      expect: 'allowed',
    },
    {
      name: 'per-symbol notional cap 2500: 2501 is rejected',
      config: { maxNotionalPerSymbol: { 'BTC-PERP': 2500 } },
      order: { quantity: '25.01' },
      expect: 'POSITION_SIZE',
      reason: ['BTC-PERP', 'notional 2501', 'cap of 2500'],
    },
    {
      name: 'per-symbol 20% of equity: exactly 20% allowed',
      config: { maxPositionPctPerSymbol: '0.2' },
      order: { quantity: 2 },
      expect: 'allowed',
    },
    {
      name: 'per-symbol 20% of equity: 20.1% rejected',
      config: { maxPositionPctPerSymbol: '0.2' },
      order: { quantity: '2.01' },
      expect: 'POSITION_SIZE',
      reason: ['BTC-PERP', '20.1%', 'cap of 20%'],
    },
    {
      name: 'per-symbol cap applies to spot too',
      config: { maxPositionPctPerSymbol: '0.2' },
      order: { quantity: '2.01', product: spotProduct() },
      expect: 'POSITION_SIZE',
    },
    {
      name: 'total 80% including other positions: 600 + 200 exactly at it is allowed',
      config: { maxExposurePct: '0.8' },
      order: { quantity: 2, positions: [eth] },
      expect: 'allowed',
    },
    {
      name: 'total 80% including other positions: 600 + 201 is rejected',
      config: { maxExposurePct: '0.8' },
      order: { quantity: '2.01', positions: [eth] },
      expect: 'EXPOSURE',
      reason: ['80.1%', 'cap of 80%', 'total notional 801'],
    },
    {
      name: 'a short elsewhere counts by its size',
      config: { maxExposurePct: '0.8' },
      order: { quantity: '2.01', positions: [position('ETH-PERP', -3, 200)] },
      expect: 'EXPOSURE',
    },
    // Futures are held and ordered in contracts: notional = contracts × price × contract size, the same
    // formula the cycle sizes orders with (planOrder), so 200 BIP contracts of 0.01 at 100 are 200 of notional.
    {
      name: 'a futures order counts contracts × contract size: 200 contracts of 0.01 at 100 is exactly 20%',
      config: { maxPositionPctPerSymbol: '0.2' },
      order: {
        quantity: 200,
        product: perpProduct('BIP-20DEC30-CDE', { marketType: 'FUTURE', contractSize: dec('0.01') }),
      },
      expect: 'allowed',
    },
    {
      name: 'a futures order counts contracts × contract size: 201 contracts is 20.1%',
      config: { maxPositionPctPerSymbol: '0.2' },
      order: {
        quantity: 201,
        product: perpProduct('BIP-20DEC30-CDE', { marketType: 'FUTURE', contractSize: dec('0.01') }),
      },
      expect: 'POSITION_SIZE',
      reason: ['notional 201', '20.1%'],
    },
    {
      name: 'a futures position elsewhere counts contracts × contract size: 300 × 200 × 0.01 + 200 is exactly 80%',
      config: { maxExposurePct: '0.8' },
      order: {
        quantity: 2,
        positions: [position('BIP-20DEC30-CDE', 300, 200)],
        contractSizes: { 'BIP-20DEC30-CDE': dec('0.01') },
      },
      expect: 'allowed',
    },
    {
      name: 'a futures position elsewhere counts contracts × contract size: 600 + 201 is rejected',
      config: { maxExposurePct: '0.8' },
      order: {
        quantity: '2.01',
        positions: [position('BIP-20DEC30-CDE', 300, 200)],
        contractSizes: { 'BIP-20DEC30-CDE': dec('0.01') },
      },
      expect: 'EXPOSURE',
      reason: ['total notional 801'],
    },
    {
      name: 'without its contract size the same position would count as 60000 (a symbol not listed counts 1)',
      config: { maxExposurePct: '0.8' },
      order: { quantity: 1, positions: [position('BIP-20DEC30-CDE', 300, 200)] },
      expect: 'EXPOSURE',
      reason: ['total notional 60100'],
    },
  ];
  it.each(rows)('$name', run);
});

describe('kill switch, reduce-only, bad input and equity', () => {
  const long2 = [position('BTC-PERP', 2)];
  const rows: Row[] = [
    {
      name: 'kill switch refuses even a reducing order',
      config: { killSwitchEnabled: true },
      order: { side: 'SELL', quantity: 1, positions: long2 },
      expect: 'KILL_SWITCH',
      reason: ['BTC-PERP', 'Kill switch'],
    },
    {
      name: 'reduce-only: selling part of a long is allowed',
      config: { reduceOnlyMode: true },
      order: { side: 'SELL', quantity: 1, positions: long2 },
      expect: 'allowed',
    },
    {
      name: 'reduce-only: closing the whole long is allowed',
      config: { reduceOnlyMode: true },
      order: { side: 'SELL', quantity: 2, positions: long2 },
      expect: 'allowed',
    },
    {
      name: 'reduce-only: adding to the long is rejected',
      config: { reduceOnlyMode: true },
      order: { side: 'BUY', quantity: 1, positions: long2 },
      expect: 'REDUCE_ONLY',
      reason: ['BTC-PERP', 'Reduce-only'],
    },
    {
      name: 'reduce-only: flipping the long is rejected',
      config: { reduceOnlyMode: true },
      order: { side: 'SELL', quantity: '2.01', positions: long2 },
      expect: 'REDUCE_ONLY',
    },
    {
      name: 'reduce-only: opening from flat is rejected',
      config: { reduceOnlyMode: true },
      order: { side: 'SELL', quantity: 1 },
      expect: 'REDUCE_ONLY',
    },
    {
      name: 'reduce-only: buying back a short is allowed',
      config: { reduceOnlyMode: true },
      order: { side: 'BUY', quantity: 2, positions: [position('BTC-PERP', -2)] },
      expect: 'allowed',
    },
    {
      name: 'reduce-only: a position in another symbol does not make an order reducing',
      config: { reduceOnlyMode: true },
      order: { side: 'SELL', quantity: 1, positions: [position('ETH-PERP', 2)] },
      expect: 'REDUCE_ONLY',
    },
    {
      name: 'a reducing order is not held to the caps it lowers (closing a 10x long at 5x caps)',
      config: {
        maxLeverage: 5,
        minLiquidationBufferPct: '0.15',
        maxPositionPctPerSymbol: '0.2',
        maxExposurePct: '0.8',
      },
      order: { side: 'SELL', quantity: 100, positions: [position('BTC-PERP', 100)] },
      expect: 'allowed',
    },
    {
      name: 'zero equity is a clear rejection, not a division',
      config: {},
      order: { equity: 0 },
      expect: 'INSUFFICIENT_EQUITY',
      reason: ['BTC-PERP', 'equity is 0'],
    },
    { name: 'negative equity likewise', config: {}, order: { equity: -5 }, expect: 'INSUFFICIENT_EQUITY' },
    {
      name: 'zero equity on spot likewise',
      config: {},
      order: { equity: 0, product: spotProduct() },
      expect: 'INSUFFICIENT_EQUITY',
    },
    {
      name: 'zero equity still lets a position be closed',
      config: {},
      order: { equity: 0, side: 'SELL', quantity: 2, positions: long2 },
      expect: 'allowed',
    },
    {
      name: 'zero quantity is an invalid order',
      config: {},
      order: { quantity: 0 },
      expect: 'INVALID_ORDER',
      reason: ['BTC-PERP', 'quantity'],
    },
    {
      name: 'a negative price is an invalid order',
      config: {},
      order: { price: -1 },
      expect: 'INVALID_ORDER',
      reason: ['price'],
    },
  ];
  it.each(rows)('$name', run);

  it('the kill switch answers before every other check', () => {
    const { risk } = setup({ killSwitchEnabled: true, reduceOnlyMode: true, maxLeverage: 1 });
    const decision = risk.preTradeCheck(order({ quantity: 1000, equity: 0 }));
    expect(decision).toMatchObject({ allowed: false, code: 'KILL_SWITCH' });
  });
});

describe('stale mark (halt beyond twice maxMarkStalenessSeconds)', () => {
  const check = (ageMs: number | undefined, spec: OrderSpec = {}) => {
    const { risk, clock } = setup({ ...LOOSE, maxMarkStalenessSeconds: 180 });
    if (ageMs !== undefined) {
      risk.recordMarkUpdate('BTC-PERP', clock.now());
      clock.advance(ageMs);
    }
    return risk.preTradeCheck(order(spec));
  };

  it.each([
    { name: 'never marked counts as fresh', ageMs: undefined, allowed: true },
    { name: 'just marked', ageMs: 0, allowed: true },
    { name: 'past the soft limit only (181 s) still trades', ageMs: 181_000, allowed: true },
    { name: 'exactly twice the limit (360 s)', ageMs: 360_000, allowed: true },
    { name: 'one millisecond past twice the limit', ageMs: 360_001, allowed: false },
  ])('$name → allowed $allowed', ({ ageMs, allowed }) => {
    const decision = check(ageMs);
    expect(decision.allowed).toBe(allowed);
    if (!decision.allowed) {
      expect(decision.code).toBe('STALE_MARK');
      expect(decision.reason).toContain('BTC-PERP');
      expect(decision.reason).toContain('360.001s');
    }
  });

  it('refuses a reducing order too: its price is as unknown as any other', () => {
    const decision = check(360_001, { side: 'SELL', positions: [position('BTC-PERP', 2)] });
    expect(decision).toMatchObject({ allowed: false, code: 'STALE_MARK' });
  });

  it('only the stale symbol is refused', () => {
    const decision = check(360_001, { symbol: 'ETH-PERP' });
    expect(decision.allowed).toBe(true);
  });
});
