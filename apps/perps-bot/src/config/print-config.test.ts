import { describe, expect, it } from 'vitest';
import { featureFlags } from './feature-flags.js';
import { loadConfig } from './load-config.js';
import { configView, formatConfigView } from './print-config.js';

describe('perps-bot config', () => {
  const env = {
    COINBASE_API_PRIVATE_KEY: 'TOP-SECRET-PEM',
    COINBASE_API_KEY_NAME: 'organizations/o/apiKeys/k',
    USE_NEW_MARKET_DATA_SERVICE: 'shadow',
  };
  const loaded = loadConfig({ env, flags: { profile: 'canary', dataDir: '/data' } });
  const view = configView(loaded, env, '/srv');
  const text = formatConfigView(view, 'canary');

  it('masks secrets and shows every setting with its source', () => {
    expect(text).not.toContain('TOP-SECRET-PEM');
    expect(text).not.toContain('apiKeys/k');
    expect(text).toMatch(/^apiPrivateKey\s+\(set, masked\)\s+env COINBASE_API_PRIVATE_KEY$/m);
    expect(text).toMatch(/^reduceOnlyMode\s+true\s+profile canary$/m);
    expect(text).toMatch(/^dataDir\s+\/data\s+flag --data-dir$/m);
    expect(text).toMatch(/^apiKeyFile\s+\(not set\)\s+-$/m);
    expect(text).toMatch(/^dailyLossLimit\s+10\s+profile canary$/m);
    expect(text).toContain('storage   /data/perps_bot/canary');
  });

  it('shows both feature flags, as set and as the bot will read them', () => {
    expect(text).toMatch(
      /^USE_NEW_MARKET_DATA_SERVICE\s+shadow\s+shadow \(legacy applies, the service runs beside it\)\s+env USE_NEW_MARKET_DATA_SERVICE$/m,
    );
    expect(text).toMatch(
      /^USE_NEW_STREAMING_SERVICE\s+true\s+on \(streaming itself is off: enableStreaming=false\)\s+default$/m,
    ); // A ramp-up share left unset is its default, 100, not the booleans' "true".
    expect(text).toMatch(
      /^USE_NEW_EXECUTION_SERVICE_SHADOW_PERCENT\s+100\s+100 % \(not acted on: not in shadow mode\)\s+default$/m,
    );
  });

  it.each([
    ['true', 'new (MarketDataService)'],
    ['TRUE', 'new (MarketDataService)'],
    ['false', 'legacy (PerpsBot.updateMarksLegacy)'],
    ['yes', 'legacy (PerpsBot.updateMarksLegacy)'],
    ['shadow', 'shadow (legacy applies, the service runs beside it)'],
  ])('USE_NEW_MARKET_DATA_SERVICE=%s reads as %s (the reference’s rule: only "true" is on)', (value, effective) => {
    expect(featureFlags({ USE_NEW_MARKET_DATA_SERVICE: value }, false)[0]?.effective).toBe(effective);
  });

  it('reads USE_NEW_STREAMING_SERVICE with the boolean flag rule', () => {
    expect(featureFlags({ USE_NEW_STREAMING_SERVICE: 'False' }, true)[1]?.effective).toBe('off');
    expect(featureFlags({}, true)[1]?.effective).toBe('on');
  });

  it("shows the streaming flag overruled when the market data service is rolled back (the plan's rule)", () => {
    expect(featureFlags({ USE_NEW_MARKET_DATA_SERVICE: 'false' }, true)[1]?.effective).toBe(
      'off (USE_NEW_MARKET_DATA_SERVICE=false rolls streaming back to the legacy loop too)',
    );
    expect(
      featureFlags({ USE_NEW_MARKET_DATA_SERVICE: 'false', USE_NEW_STREAMING_SERVICE: 'false' }, true)[1]?.effective,
    ).toBe('off');
  });
});
