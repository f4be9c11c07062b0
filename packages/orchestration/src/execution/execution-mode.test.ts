import { describe, expect, it } from 'vitest';
import { readExecutionMode } from './execution-mode.js';

describe('USE_NEW_EXECUTION_SERVICE', () => {
  it('defaults to the ExecutionService; true/false/shadow in any case', () => {
    expect(readExecutionMode({})).toBe('service');
    expect(readExecutionMode({ USE_NEW_EXECUTION_SERVICE: '' })).toBe('service');
    expect(readExecutionMode({ USE_NEW_EXECUTION_SERVICE: 'TRUE' })).toBe('service');
    expect(readExecutionMode({ USE_NEW_EXECUTION_SERVICE: 'False' })).toBe('legacy');
    expect(readExecutionMode({ USE_NEW_EXECUTION_SERVICE: ' shadow ' })).toBe('shadow');
  });

  it('refuses anything else, naming the setting, so a typo cannot pick the path that places orders', () => {
    expect(() => readExecutionMode({ USE_NEW_EXECUTION_SERVICE: 'flase' })).toThrow(
      /USE_NEW_EXECUTION_SERVICE must be true, false or shadow \(got "flase"\)/,
    );
  });
});
