import { ConfigError } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { planModes } from '../mode-plan.js';
import { candidateRuns, EXECUTION_SHADOW_PERCENT, MARKS_SHADOW_PERCENT, readShadowPercent } from './ramp.js';

describe('the shadow ramp-up (…_SHADOW_PERCENT)', () => {
  it('defaults to 100 and reads integers 0–100', () => {
    expect(readShadowPercent(MARKS_SHADOW_PERCENT, {})).toBe(100);
    expect(readShadowPercent(MARKS_SHADOW_PERCENT, { [MARKS_SHADOW_PERCENT]: ' ' })).toBe(100);
    expect(readShadowPercent(MARKS_SHADOW_PERCENT, { [MARKS_SHADOW_PERCENT]: '0' })).toBe(0);
    expect(readShadowPercent(EXECUTION_SHADOW_PERCENT, { [EXECUTION_SHADOW_PERCENT]: ' 25 ' })).toBe(25);
  });

  it.each(['101', '-1', '12.5', 'half', '1e2', '0x10'])('refuses %s with a ConfigError naming the setting', (raw) => {
    const read = () => readShadowPercent(EXECUTION_SHADOW_PERCENT, { [EXECUTION_SHADOW_PERCENT]: raw });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/USE_NEW_EXECUTION_SERVICE_SHADOW_PERCENT must be an integer from 0 to 100/);
    // At initialisation, through the plan, whatever the mode.
    expect(() => planModes({ [EXECUTION_SHADOW_PERCENT]: raw })).toThrow(ConfigError);
  });

  it('picks cycles deterministically, about the share asked, differently per experiment', () => {
    const pick = (experiment: string, percent: number) =>
      Array.from({ length: 1000 }, (_, c) => c).filter((c) => candidateRuns(experiment, c, percent));
    expect(pick('rest-marks', 100)).toHaveLength(1000);
    expect(pick('rest-marks', 0)).toHaveLength(0);
    const marks = pick('rest-marks', 30);
    expect(marks.length).toBeGreaterThan(250);
    expect(marks.length).toBeLessThan(350);
    expect(pick('rest-marks', 30)).toEqual(marks);
    expect(pick('execution', 30)).not.toEqual(marks);
    // A larger share keeps every cycle a smaller one ran on (raising the ramp never drops a sampled cycle).
    const more = new Set(pick('rest-marks', 60));
    expect(marks.every((c) => more.has(c))).toBe(true);
  });

  it('is stated in the plan: the share in shadow mode, "ignored" outside it', () => {
    const shadow = planModes({
      USE_NEW_MARKET_DATA_SERVICE: 'shadow',
      USE_NEW_EXECUTION_SERVICE: 'shadow',
      [MARKS_SHADOW_PERCENT]: '25',
    });
    expect(shadow.shadowPercent).toEqual({ restMarks: 25, execution: 100 });
    expect(shadow.reasons[0]).toContain(`candidate on 25 % of cycles (${MARKS_SHADOW_PERCENT})`);
    expect(shadow.reasons.at(-1)).toContain('candidate on every cycle');
    const off = planModes({ [EXECUTION_SHADOW_PERCENT]: '10' });
    expect(off.reasons.at(-1)).toContain(`${EXECUTION_SHADOW_PERCENT} is ignored outside shadow mode`);
  });
});
