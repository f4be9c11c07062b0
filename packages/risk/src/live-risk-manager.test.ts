import { ManualClock } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { LiveRiskManager } from './live-risk-manager.js';
import { dec, LOOSE, order, position, setup } from './test-utils.js';

describe('LiveRiskManager mark staleness', () => {
  const fresh = () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    return { clock, risk: new LiveRiskManager({ clock }) };
  };

  it('treats a symbol never marked as fresh', () => {
    const { risk } = fresh();
    expect(risk.isMarkStale('BTC-USD')).toBe(false);
    expect(risk.markAgeMs('BTC-USD')).toBeUndefined();
  });

  it('is fresh at exactly the limit and stale one millisecond past it', () => {
    const { risk, clock } = fresh();
    risk.recordMarkUpdate('BTC-USD', clock.now());
    clock.advance(180_000);
    expect(risk.isMarkStale('BTC-USD')).toBe(false);
    clock.advance(1);
    expect(risk.isMarkStale('BTC-USD')).toBe(true);
    expect(risk.lastMarkUpdate.get('BTC-USD')?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('keeps the staleness option the first slice took', () => {
    const { clock } = fresh();
    const risk = new LiveRiskManager({ clock, config: { maxMarkStalenessSeconds: 10 } });
    risk.recordMarkUpdate('BTC-USD', clock.now());
    clock.advance(10_001);
    expect(risk.isMarkStale('BTC-USD')).toBe(true);
  });
});

describe('checkMarkStaleness (the cycle gate)', () => {
  it.each([
    { name: 'never marked', ageMs: undefined, skip: false, info: 0, warn: 0, events: 0 },
    { name: 'exactly at the limit', ageMs: 180_000, skip: false, info: 0, warn: 0, events: 0 },
    { name: 'one ms past the limit: info only', ageMs: 180_001, skip: false, info: 1, warn: 0, events: 0 },
    { name: 'exactly twice the limit: still info only', ageMs: 360_000, skip: false, info: 1, warn: 0, events: 0 },
    { name: 'one ms past twice the limit: skip, warn, event', ageMs: 360_001, skip: true, info: 0, warn: 1, events: 1 },
  ])('$name', ({ ageMs, skip, info, warn, events: eventCount }) => {
    const { risk, clock, logger, events } = setup();
    if (ageMs !== undefined) {
      risk.recordMarkUpdate('BTC-PERP', clock.now());
      clock.advance(ageMs);
    }
    expect(risk.checkMarkStaleness('BTC-PERP')).toBe(skip);
    expect(logger.at('info')).toHaveLength(info);
    expect(logger.at('warn')).toHaveLength(warn);
    const stale = events.ofType('stale_mark_price');
    expect(stale).toHaveLength(eventCount);
    if (eventCount > 0) {
      expect(stale[0]).toEqual({
        botId: 'risk_engine',
        payload: expect.objectContaining({
          symbol: 'BTC-PERP',
          age_seconds: '360.001',
          limit_seconds: '180',
          action: 'halt_new_orders',
        }),
      });
    }
  });
});

describe('modes', () => {
  it('records reduce_only_mode_changed on every change and only on a change', () => {
    const { risk, events } = setup();
    expect(risk.setReduceOnlyMode(true, 'operator')).toBe(true);
    expect(risk.setReduceOnlyMode(true, 'operator again')).toBe(false);
    expect(risk.reduceOnlyReason).toBe('operator');
    expect(risk.setReduceOnlyMode(false, 'operator')).toBe(true);
    expect(risk.reduceOnlyReason).toBeNull();
    expect(events.ofType('reduce_only_mode_changed').map((e) => [e.payload.enabled, e.payload.reason])).toEqual([
      [true, 'operator'],
      [false, 'operator'],
    ]);
  });

  it('records kill_switch on a change, and the switch then refuses every order with its own event', () => {
    const { risk, events } = setup(LOOSE);
    expect(risk.setKillSwitch(true, 'manual halt')).toBe(true);
    expect(risk.setKillSwitch(true, 'manual halt')).toBe(false);
    expect(events.ofType('kill_switch')).toHaveLength(1);
    expect(risk.preTradeCheck(order())).toMatchObject({ allowed: false, code: 'KILL_SWITCH' });
    expect(events.ofType('kill_switch').at(-1)?.payload).toMatchObject({ symbol: 'BTC-PERP', action: 'order_blocked' });
    risk.setKillSwitch(false, 'resume');
    expect(risk.preTradeCheck(order()).allowed).toBe(true);
  });

  it('starts from the configured modes', () => {
    const { risk } = setup({ killSwitchEnabled: true, reduceOnlyMode: true });
    expect([risk.killSwitchEnabled, risk.reduceOnlyMode, risk.reduceOnlyReason]).toEqual([true, true, 'config']);
  });

  it('records reduce_only_block for a blocked increase and logs every rejection', () => {
    const { risk, events, logger } = setup({ ...LOOSE, reduceOnlyMode: true });
    risk.preTradeCheck(order({ side: 'BUY' }));
    expect(events.ofType('reduce_only_block')).toEqual([
      { botId: 'risk_engine', payload: expect.objectContaining({ symbol: 'BTC-PERP', reason: 'config' }) },
    ]);
    expect(logger.at('warn').map((r) => r.fields.code)).toEqual(['REDUCE_ONLY']);
  });

  it('a failing event store is logged and does not undo the change', () => {
    const clock = new ManualClock();
    const logger = new (class {
      errors: string[] = [];
      debug() {}
      info() {}
      warn() {}
      error(message: string) {
        this.errors.push(message);
      }
    })();
    const eventStore = {
      appendMetric: () => {
        throw new Error('disk full');
      },
    };
    const risk = new LiveRiskManager({ clock, logger, eventStore });
    risk.setKillSwitch(true, 'test');
    expect(risk.killSwitchEnabled).toBe(true);
    expect(logger.errors).toEqual(['Failed to record risk event kill_switch: disk full']);
  });
});

describe('trackDailyPnl', () => {
  it('records the first equity as the start of the day', () => {
    const { risk } = setup();
    const status = risk.trackDailyPnl(dec(1000));
    expect([status.startOfDayEquity.toFixed(), status.dailyPnl.toFixed(), status.breached]).toEqual([
      '1000',
      '0',
      false,
    ]);
  });

  it.each([
    { name: 'a gain', equity: '1500', breached: false },
    { name: 'a loss exactly at the limit (100)', equity: '900', breached: false },
    { name: 'a loss one cent past the limit', equity: '899.99', breached: true },
  ])('$name → breached $breached', ({ equity, breached }) => {
    const { risk, events } = setup();
    risk.trackDailyPnl(dec(1000));
    expect(risk.trackDailyPnl(dec(equity)).breached).toBe(breached);
    expect(risk.reduceOnlyMode).toBe(breached);
    expect(events.ofType('daily_loss_breach')).toHaveLength(breached ? 1 : 0);
  });

  it('treats a limit of 0 as no limit (any loss would otherwise breach it)', () => {
    const { risk, events } = setup({ dailyLossLimit: 0 });
    risk.trackDailyPnl(dec(1000));
    expect(risk.trackDailyPnl(dec(1)).breached).toBe(false);
    expect(risk.reduceOnlyMode).toBe(false);
    expect(events.ofType('daily_loss_breach')).toHaveLength(0);
  });

  it('a breach flips reduce-only exactly once and records one event, however long it lasts', () => {
    const { risk, events, logger } = setup(LOOSE);
    risk.trackDailyPnl(dec(1000));
    risk.trackDailyPnl(dec('899.99'));
    risk.trackDailyPnl(dec(800));
    risk.trackDailyPnl(dec(700));
    expect(events.ofType('daily_loss_breach')).toHaveLength(1);
    expect(events.ofType('daily_loss_breach')[0]?.payload).toMatchObject({
      daily_pnl: '-100.01',
      daily_loss_abs: '100.01',
      limit: '100',
      action: 'reduce_only_mode_enabled',
    });
    expect(events.ofType('reduce_only_mode_changed')).toHaveLength(1);
    expect(logger.at('warn').filter((r) => r.message.startsWith('Daily loss limit breached'))).toHaveLength(1);
    expect(risk.reduceOnlyReason).toBe('daily_loss_limit');

    expect(risk.preTradeCheck(order({ side: 'BUY' }))).toMatchObject({ allowed: false, code: 'DAILY_LOSS' });
    const closing = order({ side: 'SELL', quantity: 2, positions: [position('BTC-PERP', 2)] });
    expect(risk.preTradeCheck(closing).allowed).toBe(true);
  });

  it('starts a new day at the first snapshot after UTC midnight; reduce-only stays until lifted', () => {
    const { risk, clock, events } = setup({}, '2026-01-01T23:59:00Z');
    risk.trackDailyPnl(dec(1000));
    risk.trackDailyPnl(dec(800));
    clock.advance(60_000);
    const next = risk.trackDailyPnl(dec(790));
    expect([next.startOfDayEquity.toFixed(), next.breached]).toEqual(['790', false]);
    expect(risk.reduceOnlyMode).toBe(true);
    risk.trackDailyPnl(dec(600));
    expect(events.ofType('daily_loss_breach')).toHaveLength(2);
  });

  it('ignores an equity that is not a number, with a warning, instead of poisoning the day', () => {
    const { risk, logger } = setup();
    risk.trackDailyPnl(dec(1000));
    expect(risk.trackDailyPnl(dec(1000).dividedBy(0)).startOfDayEquity.toFixed()).toBe('1000');
    expect(logger.at('warn')[0]?.message).toContain('not a finite number');
    expect(risk.trackDailyPnl(dec(950)).dailyPnl.toFixed()).toBe('-50');
  });

  it('resetDailyTracking restarts the day from the given equity', () => {
    const { risk } = setup();
    risk.trackDailyPnl(dec(1000));
    risk.resetDailyTracking(dec(500));
    expect(risk.trackDailyPnl(dec(450)).dailyPnl.toFixed()).toBe('-50');
  });
});

describe('checkLiquidationBuffers', () => {
  // Cap 5, minimum 15%, equity 1000: a position of notional n needs margin n/5 ≤ 850, so n ≤ 4250.
  const config = { maxLeverage: 5, minLiquidationBufferPct: '0.15' };

  // A perp (contract size 1) at mark 100 and a CFM future (BIP: 0.01 BTC a contract) at 5 contracts, both
  // with the notional 4250 the buffer allows at the edge and a hair over it just below.
  const CFM = 'BIP-20DEC30-CDE';
  const cfmSizes = { [CFM]: dec('0.01'), 'BTC-PERP': dec(1) };
  it.each([
    { name: 'perp: buffer exactly at 15%', symbol: 'BTC-PERP', qty: '42.5', mark: '100', sizes: {}, breach: false },
    { name: 'perp: buffer just under 15%', symbol: 'BTC-PERP', qty: '42.5001', mark: '100', sizes: {}, breach: true },
    { name: 'perp: a short just under 15%', symbol: 'BTC-PERP', qty: '-42.5001', mark: '100', sizes: {}, breach: true },
    {
      name: 'perp: contract size 1 given explicitly, at 15%',
      symbol: 'BTC-PERP',
      qty: '42.5',
      mark: '100',
      sizes: cfmSizes,
      breach: false,
    },
    { name: 'perp: no position', symbol: 'BTC-PERP', qty: '0', mark: '100', sizes: {}, breach: false },
    // 5 contracts × 85000 × 0.01 = 4250 exactly; at 85000.01 the notional is 4250.0005.
    { name: 'CFM 0.01: buffer exactly at 15%', symbol: CFM, qty: '5', mark: '85000', sizes: cfmSizes, breach: false },
    { name: 'CFM 0.01: buffer just under 15%', symbol: CFM, qty: '5', mark: '85000.01', sizes: cfmSizes, breach: true },
    {
      name: 'CFM 0.01: a short just under 15%',
      symbol: CFM,
      qty: '-5',
      mark: '85000.01',
      sizes: cfmSizes,
      breach: true,
    },
    // Without its contract size the same position reads as 425000 of notional: the bug this guards against.
    { name: 'CFM with no contract size counts as 1', symbol: CFM, qty: '5', mark: '85000', sizes: {}, breach: true },
  ])('$name → breach $breach', ({ symbol, qty, mark, sizes, breach }) => {
    const { risk, events } = setup(config);
    const positions = [position(symbol, qty, mark)];
    const first = risk.checkLiquidationBuffers(positions, dec(1000), sizes);
    const second = risk.checkLiquidationBuffers(positions, dec(1000), sizes);
    expect([first, second]).toEqual(breach ? [[symbol], [symbol]] : [[], []]);
    expect(risk.isSymbolReduceOnly(symbol)).toBe(breach);
    expect([...risk.symbolReduceOnly]).toEqual(breach ? [[symbol, 'liquidation_buffer']] : []);
    const recorded = events.ofType('liquidation_buffer_breach');
    expect(recorded).toHaveLength(breach ? 1 : 0);
    if (breach) expect(recorded[0]?.payload).toMatchObject({ symbol, limit: '0.15', equity: '1000' });
  });

  it('reports the CFM notional in base units (contracts × mark × contract size) in the event', () => {
    const { risk, events } = setup(config);
    risk.checkLiquidationBuffers([position(CFM, '5', '85000.01')], dec(1000), cfmSizes);
    // buffer = (1000 − 4250.0005 / 5) / 1000 = 0.1499999
    expect(events.ofType('liquidation_buffer_breach')[0]?.payload).toMatchObject({
      notional: '4250.0005',
      buffer_pct: '0.1499999',
    });
  });

  it('sets the symbol reduce-only (event once), blocking increases there only, until cleared', () => {
    const { risk, events } = setup({ ...LOOSE, ...config });
    const positions = [position('BTC-PERP', 43), position('ETH-PERP', 1)];
    risk.checkLiquidationBuffers(positions, dec(1000));
    risk.checkLiquidationBuffers(positions, dec(1000));
    expect(events.ofType('liquidation_buffer_breach')).toHaveLength(1);
    expect(events.ofType('liquidation_buffer_breach')[0]?.payload).toMatchObject({
      symbol: 'BTC-PERP',
      buffer_pct: '0.14',
      limit: '0.15',
      action: 'reduce_only_enabled_for_BTC-PERP',
    });

    const small = { quantity: '0.01', positions };
    expect(risk.preTradeCheck(order({ ...small, side: 'BUY' }))).toMatchObject({ allowed: false, code: 'REDUCE_ONLY' });
    expect(risk.preTradeCheck(order({ ...small, side: 'SELL' })).allowed).toBe(true);
    expect(risk.preTradeCheck(order({ ...small, symbol: 'ETH-PERP' })).allowed).toBe(true);
    expect(risk.reduceOnlyMode).toBe(false);

    // Cleared, the flag no longer answers; the buffer check itself still sees the position after the fill.
    expect(risk.clearSymbolReduceOnly('BTC-PERP')).toBe(true);
    expect(risk.preTradeCheck(order({ ...small, side: 'BUY' }))).toMatchObject({ code: 'LIQUIDATION_BUFFER' });
  });

  it('with no equity every open position is in breach', () => {
    const { risk } = setup(config);
    expect(risk.checkLiquidationBuffers([position('BTC-PERP', 1), position('ETH-PERP', -1)], dec(0))).toEqual([
      'BTC-PERP',
      'ETH-PERP',
    ]);
  });
});
