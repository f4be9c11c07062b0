import { Decimal, type OrderSide, type Position } from '@perps-bot/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leverageCaps } from './leverage-caps.js';
import { netQuantity } from './positions.js';
import { evaluatePreTrade, type PreTradeState } from './pre-trade.js';
import { parseRiskConfig } from './risk-config.js';
import { order, perpProduct, position, T0 } from './test-utils.js';

/** Decimals with up to `scale` places in [min, max], built from integers so they are exact. */
const decimal = (min: number, max: number, scale: number) =>
  fc.integer({ min: min * 10 ** scale, max: max * 10 ** scale }).map((n) => new Decimal(n).dividedBy(10 ** scale));

const scenario = fc.record({
  maxLeverage: decimal(1, 20, 1),
  symbolCap: fc.option(decimal(1, 20, 1), { nil: undefined }),
  productMax: fc.option(fc.integer({ min: 1, max: 20 }), { nil: null }),
  minBuffer: decimal(0, 0.5, 2),
  positionPct: decimal(0, 30, 1).map((d) => d.plus('0.1')),
  exposurePct: decimal(0, 40, 1).map((d) => d.plus('0.1')),
  equity: decimal(-10, 100_000, 2),
  price: decimal(0.01, 100_000, 2),
  // Either a raw quantity, or one sized to land just around the effective cap (cap + offset leverage), so the
  // boundary itself is exercised rather than left to chance.
  sizing: fc.oneof(
    decimal(0, 50, 4).map((quantity) => ({ quantity })),
    decimal(-0.05, 0.05, 4).map((capOffset) => ({ capOffset })),
  ),
  side: fc.constantFrom<OrderSide>('BUY', 'SELL'),
  held: fc.option(decimal(-50, 50, 4), { nil: undefined }),
  elsewhere: fc.option(decimal(0, 50, 4), { nil: undefined }),
  reduceOnly: fc.boolean(),
});

describe('preTradeCheck properties', () => {
  it('an allowed order either stays within the effective leverage cap or strictly reduces the position', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const config = parseRiskConfig({
          maxLeverage: s.maxLeverage,
          leverageMaxPerSymbol: s.symbolCap === undefined ? {} : { 'BTC-PERP': s.symbolCap },
          minLiquidationBufferPct: s.minBuffer,
          maxPositionPctPerSymbol: s.positionPct,
          maxExposurePct: s.exposurePct,
        });
        const positions: Position[] = [];
        if (s.held !== undefined) positions.push(position('BTC-PERP', s.held.toFixed(), s.price.toFixed()));
        if (s.elsewhere !== undefined) positions.push(position('ETH-PERP', s.elsewhere.toFixed(), 100));
        const now = new Date(T0);
        const cap = leverageCaps('BTC-PERP', config, now, s.productMax).effectiveCap;
        const quantity =
          'quantity' in s.sizing
            ? s.sizing.quantity
            : Decimal.max(0, cap.plus(s.sizing.capOffset).times(s.equity).dividedBy(s.price)).toDecimalPlaces(
                8,
                Decimal.ROUND_DOWN,
              );
        const request = {
          ...order({ side: s.side, product: perpProduct('BTC-PERP', { leverageMax: s.productMax }), positions }),
          quantity,
          price: s.price,
          equity: s.equity,
        };
        const state: PreTradeState = {
          config,
          now,
          killSwitch: false,
          reduceOnly: s.reduceOnly,
          reduceOnlyReason: s.reduceOnly ? 'test' : null,
          symbolReduceOnly: false,
          markAgeMs: undefined,
        };
        const decision = evaluatePreTrade(request, state);
        if (!decision.allowed) return;

        const before = netQuantity(positions, 'BTC-PERP');
        const after = before.plus(s.side === 'BUY' ? quantity : quantity.negated());
        const reduces =
          !before.isZero() && after.abs().lessThan(before.abs()) && after.times(before).greaterThanOrEqualTo(0);
        // Reduce-only is respected: in that mode nothing but a reducing order gets through.
        if (s.reduceOnly) expect(reduces).toBe(true);
        if (reduces) return;

        expect(s.equity.greaterThan(0)).toBe(true);
        // notional / equity ≤ cap, for the order and for the position it leaves behind.
        expect(quantity.times(s.price).lessThanOrEqualTo(cap.times(s.equity))).toBe(true);
        expect(after.abs().times(s.price).lessThanOrEqualTo(cap.times(s.equity))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
