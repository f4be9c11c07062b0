import { describe, expect, it } from 'vitest';
import { ConfigError } from '@perps-bot/core';
import { planModes } from './mode-plan.js';

describe('planModes: one rule for every flag combination', () => {
  it.each([
    [undefined, undefined, 'new', 'new', false],
    ['true', 'true', 'new', 'new', false],
    ['true', 'false', 'new', 'legacy', false],
    ['shadow', 'true', 'shadow', 'new', false],
    ['shadow', 'false', 'shadow', 'legacy', false],
    ['false', 'true', 'legacy', 'legacy', true],
    ['false', undefined, 'legacy', 'legacy', true],
    ['false', 'false', 'legacy', 'legacy', false],
    ['no', 'TRUE', 'legacy', 'legacy', true],
  ] as const)(
    'USE_NEW_MARKET_DATA_SERVICE=%s USE_NEW_STREAMING_SERVICE=%s → REST %s, streaming %s',
    (rest, stream, restMarks, streaming, overruled) => {
      const env: NodeJS.ProcessEnv = {};
      if (rest !== undefined) env.USE_NEW_MARKET_DATA_SERVICE = rest;
      if (stream !== undefined) env.USE_NEW_STREAMING_SERVICE = stream;
      const plan = planModes(env);
      expect({ restMarks: plan.restMarks, streaming: plan.streaming, overruled: plan.overruled }).toEqual({
        restMarks,
        streaming,
        overruled,
      });
      expect(plan.reasons).toHaveLength(3);
      expect(plan.execution).toBe('service');
      expect(plan.reasons[1]).toMatch(new RegExp(`^streaming: ${streaming}`));
    },
  );

  it('says why the streaming flag was overruled and how to undo it', () => {
    const plan = planModes({ USE_NEW_MARKET_DATA_SERVICE: 'false', USE_NEW_STREAMING_SERVICE: 'true' });
    expect(plan.reasons[1]).toContain('rolls the whole mark pipeline back');
    expect(plan.reasons[1]).toContain('set it to true or shadow');
  });

  it.each([
    [undefined, 'service'],
    ['true', 'service'],
    ['False', 'legacy'],
    ['shadow', 'shadow'],
  ] as const)('USE_NEW_EXECUTION_SERVICE=%s → execution %s, whatever the mark flags say', (flag, execution) => {
    for (const rest of ['true', 'false', 'shadow']) {
      const env: NodeJS.ProcessEnv = { USE_NEW_MARKET_DATA_SERVICE: rest };
      if (flag !== undefined) env.USE_NEW_EXECUTION_SERVICE = flag;
      const plan = planModes(env);
      expect(plan.execution).toBe(execution);
      expect(plan.reasons.at(-1)).toMatch(new RegExp(`^execution: ${execution === 'service' ? 'new' : execution}`));
    }
  });

  it('refuses an execution flag it does not know, at planning time', () => {
    expect(() => planModes({ USE_NEW_EXECUTION_SERVICE: 'yes' })).toThrow(ConfigError);
  });
});
