import { describe, expect, it } from 'vitest';
import { runCli } from './cli-harness.js';

describe('perps-bot run --profile dev --single-cycle', () => {
  it.each(['true', 'false'])('exits 0 and prints a mark for each default symbol (USE_NEW_MARKET_DATA_SERVICE=%s)', async (flag) => {
    const result = await runCli(['run', '--profile', 'dev', '--single-cycle'], { USE_NEW_MARKET_DATA_SERVICE: flag });
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^BTC-PERP\s+mark=\d+(\.\d+)? window=1$/m);
    expect(result.stdout).toMatch(/^ETH-PERP\s+mark=\d+(\.\d+)? window=1$/m);
  });
});
