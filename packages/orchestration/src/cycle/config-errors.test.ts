import { ConfigError, ErrorCodes } from '@perps-bot/core';
import { describe, expect, it } from 'vitest';
import { BaselineStrategy } from './baseline-strategy.js';
import { SessionGuard } from './session-guard.js';

// A bad setting is a ConfigError (code CONFIG_INVALID, naming the setting), which the app turns into exit 2
// with the message; a RangeError would be reported as a crash.
describe('trading settings refused with a typed error', () => {
  it.each([
    ['a window with a start and no end', () => new SessionGuard({ start: '14:00' }), 'tradingWindow'],
    [
      'a start that is not a time of day',
      () => new SessionGuard({ start: '25:00', end: '15:00' }),
      'tradingWindow.start',
    ],
    [
      'moving averages shorter than one mark',
      () =>
        new BaselineStrategy({
          shortMa: 0,
          longMa: 20,
          targetLeverage: 1,
          trailingStopPct: 0.01,
          enableShorts: false,
          reduceOnly: false,
        }),
      'shortMa/longMa',
    ],
  ])('%s', (_what, build, setting) => {
    let thrown: unknown;
    try {
      build();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).code).toBe(ErrorCodes.CONFIG_INVALID);
    expect((thrown as ConfigError).setting).toBe(setting);
  });
});
