import { ManualClock, MemoryLogger } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { LiveRiskManager } from './live-risk-manager.js';
import { DAILY_LOSS_REASON } from './pre-trade.js';
import { clearRiskState, parseRiskStateSnapshot, type RiskStateSnapshot } from './risk-state.js';
import { dec, order, position } from './test-utils.js';

/** A durable store stand-in: what was saved, in order; the next "process" restores the last one. */
function savedStates() {
  const saves: RiskStateSnapshot[] = [];
  return {
    saves,
    persistence: {
      save: (s: RiskStateSnapshot) => void saves.push(JSON.parse(JSON.stringify(s)) as RiskStateSnapshot),
    },
    last: () => saves.at(-1),
  };
}

function restart(clock: ManualClock, saved: RiskStateSnapshot | undefined, config = { dailyLossLimit: dec(100) }) {
  const store = savedStates();
  const risk = new LiveRiskManager({ clock, config, persistence: store.persistence, logger: new MemoryLogger() });
  const outcome = saved ? risk.restore(parseRiskStateSnapshot(saved)) : undefined;
  return { risk, store, outcome };
}

describe('risk state survives a restart', () => {
  it("a daily-loss breach: reduce-only and the day's starting equity come back on the same UTC day", () => {
    const clock = new ManualClock('2026-03-02T09:00:00Z');
    const first = restart(clock, undefined);
    first.risk.trackDailyPnl(dec(10_000));
    first.risk.trackDailyPnl(dec(9_850)); // −150 beyond a 100 limit
    expect(first.risk.reduceOnlyMode).toBe(true);
    const saved = first.store.last();
    expect(saved).toMatchObject({
      reduceOnly: { enabled: true, reason: DAILY_LOSS_REASON },
      daily: { day: '2026-03-02', startOfDayEquity: '10000', breached: true },
    });

    clock.advance(60_000);
    const second = restart(clock, saved);
    expect(second.risk.reduceOnlyMode).toBe(true);
    expect(second.risk.reduceOnlyReason).toBe(DAILY_LOSS_REASON);
    // measured from the saved start, not from the restarted process's first equity; the breach is not re-announced
    const status = second.risk.trackDailyPnl(dec(9_900));
    expect(status.startOfDayEquity.toFixed()).toBe('10000');
    expect(status.newlyBreached).toBe(false);
    expect(second.risk.preTradeCheck(order({ symbol: 'BTC-PERP', side: 'BUY', quantity: '1' })).allowed).toBe(false);
  });

  it('the daily-loss state and its reduce-only end when the UTC day rolls over', () => {
    const clock = new ManualClock('2026-03-02T23:59:00Z');
    const first = restart(clock, undefined);
    first.risk.trackDailyPnl(dec(10_000));
    first.risk.trackDailyPnl(dec(9_000));
    clock.advance(2 * 60_000); // 2026-03-03
    const second = restart(clock, first.store.last());
    expect(second.risk.reduceOnlyMode).toBe(false);
    expect(second.outcome?.dropped).toEqual([
      'reduce-only (daily_loss_limit, 2026-03-02 is over)',
      'daily loss of 2026-03-02',
    ]);
    expect(second.store.last()?.daily).toBeNull();
  });

  it('the kill switch, a reduce-only reason and per-symbol flags come back whatever the day', () => {
    const clock = new ManualClock('2026-03-02T10:00:00Z');
    const first = restart(clock, undefined);
    first.risk.setKillSwitch(true, 'volatility_circuit_breaker');
    first.risk.setReduceOnlyMode(true, 'positions_unknown');
    first.risk.checkLiquidationBuffers([position('ETH-PERP', 10, 1_000)], dec(100));
    clock.advance(3 * 86_400_000);
    const second = restart(clock, first.store.last());
    expect(second.risk.killSwitchEnabled).toBe(true);
    expect(second.risk.reduceOnlyReason).toBe('positions_unknown');
    expect([...second.risk.symbolReduceOnly]).toEqual([['ETH-PERP', 'liquidation_buffer']]);
  });

  it('saves each change before announcing it (the save is seen before the event)', () => {
    const clock = new ManualClock('2026-03-02T10:00:00Z');
    const order: string[] = [];
    const risk = new LiveRiskManager({
      clock,
      persistence: { save: (s) => void order.push(`save kill=${s.killSwitch.enabled}`) },
      eventStore: { appendMetric: (_bot, p) => void order.push(`event ${String(p.event_type)}`) },
    });
    risk.setKillSwitch(true, 'manual');
    expect(order).toEqual(['save kill=true', 'event kill_switch']);
  });

  it("modes set by the configuration are the configuration's: not restored once it says otherwise", () => {
    const clock = new ManualClock('2026-03-02T10:00:00Z');
    const first = new LiveRiskManager({
      clock,
      config: { reduceOnlyMode: true },
      persistence: savedStates().persistence,
    });
    const { risk } = restart(clock, first.snapshot());
    expect(risk.reduceOnlyMode).toBe(false);
  });

  it('a failing save is logged and keeps the stricter state in memory', () => {
    const logger = new MemoryLogger();
    const risk = new LiveRiskManager({
      clock: new ManualClock('2026-03-02T10:00:00Z'),
      logger,
      persistence: {
        save: () => {
          throw new Error('SQLITE_FULL');
        },
      },
    });
    risk.setKillSwitch(true, 'manual');
    expect(risk.killSwitchEnabled).toBe(true);
    expect(logger.at('error').map((r) => r.message)).toEqual(['Could not save the risk state: SQLITE_FULL']);
  });
});

describe('clearRiskState (perps-bot risk clear)', () => {
  const saved: RiskStateSnapshot = {
    version: 1,
    killSwitch: { enabled: true, reason: 'manual' },
    reduceOnly: { enabled: true, reason: DAILY_LOSS_REASON },
    symbolReduceOnly: { 'BTC-PERP': 'liquidation_buffer', 'ETH-PERP': 'liquidation_buffer' },
    daily: { day: '2026-03-02', startOfDayEquity: '10000', breached: true },
  };

  it('with --symbol clears that flag only', () => {
    expect(clearRiskState(saved, { symbol: 'BTC-PERP' })).toEqual({
      ...saved,
      symbolReduceOnly: { 'ETH-PERP': 'liquidation_buffer' },
    });
  });

  it("without clears every mode and the breach, and keeps the day's starting equity", () => {
    expect(clearRiskState(saved)).toEqual({
      version: 1,
      killSwitch: { enabled: false, reason: null },
      reduceOnly: { enabled: false, reason: null },
      symbolReduceOnly: {},
      daily: { day: '2026-03-02', startOfDayEquity: '10000', breached: false },
    });
  });

  it('refuses a state it cannot read with a typed error saying what is wrong', () => {
    const read = () => parseRiskStateSnapshot({ ...saved, daily: { ...saved.daily, startOfDayEquity: 'NaN' } });
    expect(read).toThrow(/daily\.startOfDayEquity/);
    expect(read).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', setting: 'riskState' }));
  });
});
