import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { METRIC_NAMES } from '../src/observability/metrics.js';
import { startBotWithStatus, type BotWithStatus } from './status-harness.js';

// A child process on two shared cores: the limit only stops a hung run, it never decides a result.
vi.setConfig({ testTimeout: 180_000 });

const running: BotWithStatus[] = [];
afterAll(async () => {
  for (const bot of running.splice(0)) await bot.stop();
});

async function scrape(url: string): Promise<Map<string, PrometheusFamily>> {
  const response = await fetch(new URL('metrics', url));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return new Map(parsePrometheusTextFormat(await response.text()).map((f) => [f.name, f]));
}

/** Polls an async check until it returns a value; waits for a state, never for a time. */
async function poll<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check().catch(() => undefined);
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const value = (family: PrometheusFamily | undefined, labels: Record<string, string> = {}) =>
  Number(family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value);

describe('the status endpoint', () => {
  it('/metrics parses as Prometheus text with every documented family, and its counters move with the cycles', async () => {
    const bot = await startBotWithStatus(['--interval', '0.1', '--warm-up']);
    running.push(bot);
    // Supervisors' probes: healthy at once, ready once a cycle has completed.
    expect((await fetch(new URL('healthz', bot.url))).status).toBe(200);
    await poll('/readyz to answer 200', async () =>
      (await fetch(new URL('readyz', bot.url))).status === 200 ? true : undefined,
    );

    // Wait for an order to be placed on the paper ledger, so the order families have samples.
    const families = await poll('a placed paper order in /metrics', async () => {
      const scraped = await scrape(bot.url);
      return value(scraped.get('perps_bot_orders_total'), { outcome: 'placed' }) >= 1 ? scraped : undefined;
    });
    for (const name of METRIC_NAMES) expect(families.has(name), name).toBe(true);
    const types = Object.fromEntries(METRIC_NAMES.map((n) => [n, families.get(n)?.type]));
    expect(types).toMatchObject({
      perps_bot_cycles_total: 'COUNTER',
      perps_bot_cycle_duration_seconds: 'HISTOGRAM',
      perps_bot_mark: 'GAUGE',
      perps_bot_mark_age_seconds: 'GAUGE',
      perps_bot_orders_total: 'COUNTER',
      perps_bot_store_write_seconds: 'HISTOGRAM',
      perps_bot_shadow_outcomes_total: 'COUNTER',
    });
    expect(value(families.get('perps_bot_orders_total'), { outcome: 'placed' })).toBeGreaterThanOrEqual(1);
    for (const symbol of ['BTC-PERP', 'ETH-PERP']) {
      expect(value(families.get('perps_bot_mark'), { symbol })).toBeGreaterThan(0);
      expect(value(families.get('perps_bot_mark_age_seconds'), { symbol })).toBeGreaterThanOrEqual(0);
    }
    const histogram = families.get('perps_bot_cycle_duration_seconds')?.metrics[0];
    const cycles = value(families.get('perps_bot_cycles_total'), { result: 'ok' });
    expect(Number(histogram?.count)).toBeGreaterThanOrEqual(cycles);
    expect(Object.keys(histogram?.buckets ?? {})).toContain('+Inf');
    // Every event append is timed: startup, one cycle_metrics per cycle, order_placed…
    expect(Number(families.get('perps_bot_store_write_seconds')?.metrics[0]?.count)).toBeGreaterThan(cycles);

    // A later scrape sees more cycles: the counters are live, not a snapshot.
    const next = await poll('more cycles in a later scrape', async () => {
      const scraped = await scrape(bot.url);
      return value(scraped.get('perps_bot_cycles_total'), { result: 'ok' }) > cycles ? scraped : undefined;
    });
    expect(value(next.get('perps_bot_cycles_total'), { result: 'ok' })).toBeGreaterThan(cycles);

    // The other routes: JSON status, a 404 that names the routes, and nothing but GET/HEAD.
    const status = (await (await fetch(new URL('api/status', bot.url))).json()) as {
      health: { profile: string; dryRun: boolean };
    };
    expect(status.health).toMatchObject({ profile: 'dev', dryRun: true });
    const missing = await fetch(new URL('nope', bot.url));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('/metrics');
    expect((await fetch(new URL('metrics', bot.url), { method: 'POST' })).status).toBe(405);
  });
});
