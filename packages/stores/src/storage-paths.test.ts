import { describe, expect, it } from 'vitest';
import { resolveStoragePaths } from './storage-paths.js';

describe('resolveStoragePaths', () => {
  it('puts everything under <root>/perps_bot/<profile>, resolving a relative root against cwd', () => {
    const paths = resolveStoragePaths({ runtimeRoot: 'var/data', profile: 'dev', cwd: '/srv/bot' });
    expect(paths).toEqual({
      storageDir: '/srv/bot/var/data/perps_bot/dev',
      eventStoreDir: '/srv/bot/var/data/perps_bot/dev',
      eventsFile: '/srv/bot/var/data/perps_bot/dev/events.sqlite',
      ordersFile: '/srv/bot/var/data/perps_bot/dev/orders.sqlite',
      healthFile: '/srv/bot/var/data/perps_bot/dev/health.json',
      riskFile: '/srv/bot/var/data/perps_bot/dev/risk.sqlite',
    });
  });

  it.each([
    ['/events', '/events/perps_bot/canary'],
    ['/events/', '/events/perps_bot/canary'],
    ['/events/perps_bot/canary', '/events/perps_bot/canary'],
    ['/events/perps_bot/canary/', '/events/perps_bot/canary'],
    ['/events/perps_bot/prod', '/events/perps_bot/prod/perps_bot/canary'],
  ])('EVENT_STORE_ROOT=%s puts the events in %s (perps_bot/<profile> appended only when missing)', (root, expected) => {
    const paths = resolveStoragePaths({ runtimeRoot: '/data', eventStoreRoot: root, profile: 'canary' });
    expect(paths.eventStoreDir).toBe(expected);
    expect(paths.storageDir).toBe('/data/perps_bot/canary');
  });
});
