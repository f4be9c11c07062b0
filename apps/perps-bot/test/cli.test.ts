import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteEventStore } from '@perps-bot/stores';
import type { StoredEvent } from '@perps-bot/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readHealth, runCli, startCli, tempDataDir, waitFor } from './cli-harness.js';

// Removed only once the whole file is done: tests run concurrently, and an afterEach would delete the data
// directory of a run still in progress.
const cleanups: Array<() => void> = [];
afterAll(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function dataDir() {
  const data = tempDataDir();
  cleanups.push(data.cleanup);
  return data;
}

function readEvents(profileDir: string): StoredEvent[] {
  const store = new SqliteEventStore({ file: join(profileDir, 'events.sqlite'), readonly: true });
  try {
    return store.tail(1_000_000);
  } finally {
    store.close();
  }
}

// Child processes share two cores with whatever else runs; these limits only stop a hung process, they never
// decide a result.
vi.setConfig({ testTimeout: 90_000 });

const MARK_LINE = (symbol: string) => new RegExp(`^${symbol}\\s+mark=\\d+(\\.\\d+)? window=1$`, 'm');

describe.concurrent('perps-bot run --profile dev --single-cycle', () => {
  // Each value of each flag runs a dev cycle; the banner shows what was read. The first row also checks what
  // a run leaves behind, the second the --symbols normalisation (uppercased, de-duplicated, order kept).
  it.each([
    ['true', 'true', 'new', [], ['BTC-PERP', 'ETH-PERP']],
    ['false', 'false', 'legacy', ['--symbols', 'sol-perp, BTC-PERP,Sol-Perp'], ['SOL-PERP', 'BTC-PERP']],
    ['shadow', 'true', 'shadow', [], ['BTC-PERP', 'ETH-PERP']],
  ])(
    'USE_NEW_MARKET_DATA_SERVICE=%s USE_NEW_STREAMING_SERVICE=%s: exits 0 and prints the marks (market-data=%s)',
    async (marketData, streaming, mode, args, symbols) => {
      const data = dataDir();
      const result = await runCli(['run', '--profile', 'dev', '--single-cycle', '--data-dir', data.dir, ...args], {
        USE_NEW_MARKET_DATA_SERVICE: marketData,
        USE_NEW_STREAMING_SERVICE: streaming,
      });
      expect(result.stderr).not.toMatch(/"level":50|Error/);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^perps-bot profile=dev market-data=${mode}$`, 'm'));
      expect(result.stdout).toMatch(/DRY RUN/);
      expect(result.stdout).toContain(`USE_NEW_MARKET_DATA_SERVICE=${marketData} →`);
      expect(result.stdout).toContain(
        `USE_NEW_STREAMING_SERVICE=${streaming} → ${streaming === 'true' ? 'on' : 'off'}`,
      );
      expect(result.stdout.match(/^\S+(?=\s+mark=)/gm)).toEqual(symbols);
      for (const symbol of symbols) expect(result.stdout).toMatch(MARK_LINE(symbol));
      // In shadow mode the cycle's comparison is a record of its own (perps-bot experiments reads them).
      expect(readEvents(data.profileDir()).map((e) => e.type)).toEqual([
        'startup',
        ...(marketData === 'shadow' ? ['experiment_result'] : []),
        'cycle_metrics',
        'shutdown',
      ]);
      expect(readHealth(data.profileDir())).toMatchObject({
        status: 'stopped',
        cycleCount: 1,
        profile: 'dev',
        dryRun: true,
        marketDataMode: mode,
      });
      // Shadow mode reports its tally after the marks and in health.json: one comparison per symbol per cycle,
      // and legacy and the service agree on the deterministic broker's quotes.
      const shadowLine = `shadow: runs=${symbols.length} matched=${symbols.length} mismatched=0 ignored=0 candidateErrors=0`;
      if (mode === 'shadow') {
        expect(result.stdout.trimEnd().split('\n').at(-1)).toBe(shadowLine);
        expect(readHealth(data.profileDir()).shadow).toEqual({
          cycles: 1,
          runs: symbols.length,
          matched: symbols.length,
          mismatched: 0,
          ignored: 0,
          candidateErrors: 0,
          skippedCycles: 0,
        });
        expect(readHealth(data.profileDir()).executionShadow).toBeNull();
      } else {
        expect(result.stdout).not.toMatch(/^shadow:/m);
        expect(readHealth(data.profileDir()).shadow).toBeNull();
      }
    },
  );
});

describe.concurrent('a bad configuration exits 2 with one line naming the setting', () => {
  it.each<[string, string[], NodeJS.ProcessEnv, string]>([
    [
      'an unknown profile',
      ['--profile', 'staging'],
      {},
      'perps-bot: invalid setting "profile": "staging" (allowed: dev, canary, prod; set by flag --profile)',
    ],
    [
      'a negative interval',
      ['--interval', '-1'],
      {},
      'perps-bot: invalid setting "updateInterval": -1 (allowed: a number of seconds greater than 0 and at most 86400; set by flag --interval)',
    ],
    [
      'a malformed symbol from the environment',
      [],
      { TRADING_SYMBOLS: 'BTC-PERP,btc_usd' },
      'perps-bot: invalid setting "symbols": "BTC_USD" (allowed: product ids such as BTC-PERP, BTC-USD, BTC-PERP-INTX, BIP-20DEC30-CDE; set by env TRADING_SYMBOLS)',
    ],
    [
      'a bad RISK_* variable',
      [],
      { RISK_MAX_EXPOSURE_PCT: 'lots' },
      'perps-bot: Invalid risk setting RISK_MAX_EXPOSURE_PCT: must be a decimal number, got "lots"',
    ],
    [
      'prod without confirmation',
      ['--profile', 'prod'],
      { COINBASE_API_KEY_NAME: 'organizations/o/apiKeys/k', COINBASE_API_PRIVATE_KEY: 'not-a-real-key' },
      'perps-bot: refusing to trade live on the prod profile without confirmation: set PERPS_CONFIRM_LIVE_TRADING=yes (or "confirmLiveTrading": true in the config file), or add --dry-run',
    ],
  ])('%s', async (_name, args, env, message) => {
    const data = dataDir();
    const result = await runCli(['run', '--single-cycle', '--data-dir', data.dir, ...args], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${message}\n`);
    expect(result.stdout).toBe('');
    // Nothing was started, so nothing was written.
    expect(existsSync(join(data.dir, 'perps_bot'))).toBe(false);
  });
});

describe('shutdown and crash safety', () => {
  it('SIGTERM during a long run finishes the cycle, closes the stores and exits 0', async () => {
    const data = dataDir();
    const dir = data.profileDir();
    const bot = startCli(['run', '--profile', 'dev', '--interval', '0.2', '--data-dir', data.dir]);
    await waitFor('two cycles in health.json', () => ((readHealth(dir).cycleCount as number) >= 2 ? true : undefined));
    bot.child.kill('SIGTERM');
    const result = await bot.done;
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(result.stderr).toMatch(/SIGTERM received: finishing the current cycle/);
    // Closed cleanly: both WALs were checkpointed into their databases and removed (checked before this test
    // opens the store itself, which would create a WAL of its own).
    expect(existsSync(join(dir, 'events.sqlite-wal'))).toBe(false);
    expect(existsSync(join(dir, 'orders.sqlite-wal'))).toBe(false);
    const health = readHealth(dir);
    expect(health.status).toBe('stopped');
    const events = readEvents(dir);
    expect(events.at(-1)).toMatchObject({
      type: 'shutdown',
      payload: { reason: 'SIGTERM', cycles: health.cycleCount },
    });
    expect(events.filter((e) => e.type === 'cycle_metrics')).toHaveLength(health.cycleCount as number);
  });

  it('kill -9 loses no appended event, and a restart continues the same store', async () => {
    const data = dataDir();
    const dir = data.profileDir();
    const bot = startCli(['run', '--profile', 'dev', '--interval', '0.05', '--data-dir', data.dir]);
    const before = await waitFor('five recorded events', () => {
      const events = readEvents(dir);
      return events.length >= 5 ? events : undefined;
    });
    bot.child.kill('SIGKILL');
    const killed = await bot.done;
    expect(killed.signal).toBe('SIGKILL');

    const afterKill = readEvents(dir);
    expect(afterKill.length).toBeGreaterThanOrEqual(before.length);
    expect(afterKill.slice(0, before.length)).toEqual(before);
    expect(afterKill.map((e) => e.seq)).toEqual(afterKill.map((_, i) => i + 1));
    expect(afterKill.some((e) => e.type === 'shutdown')).toBe(false);
    expect(readHealth(dir).status).toBe('running'); // the crash left it as it was

    // perps-bot status, read from the data directory alone, says the bot is gone without a clean stop.
    const status = await runCli(['status', '--profile', 'dev', '--data-dir', data.dir]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(
      new RegExp(`^state: UNCLEAN: pid ${bot.child.pid} is gone but health.json still says "running"`, 'm'),
    );

    const restart = await runCli(['run', '--profile', 'dev', '--single-cycle', '--data-dir', data.dir]);
    expect(restart.code).toBe(0);
    // The next start records the unclean stop: a banner line and an event naming the dead pid.
    expect(restart.stdout).toMatch(
      new RegExp(`^  last stop: UNCLEAN: the previous run \\(pid ${bot.child.pid}\\) ended without a shutdown`, 'm'),
    );
    const afterRestart = readEvents(dir);
    expect(afterRestart.slice(0, afterKill.length)).toEqual(afterKill);
    expect(afterRestart.slice(afterKill.length).map((e) => [e.seq, e.type])).toEqual([
      [afterKill.length + 1, 'startup'],
      [afterKill.length + 2, 'unclean_stop'],
      [afterKill.length + 3, 'cycle_metrics'],
      [afterKill.length + 4, 'shutdown'],
    ]);
    expect(afterRestart.find((e) => e.type === 'unclean_stop')?.payload).toMatchObject({
      pid: bot.child.pid,
      status: 'running',
    });
    // A clean stop is reported as one, and is not recorded as unclean at the next start.
    const clean = await runCli(['status', '--profile', 'dev', '--data-dir', data.dir]);
    expect(clean.stdout).toMatch(/^state: clean: stopped at \S+ \(single cycle complete\)$/m);
    const again = await runCli(['run', '--profile', 'dev', '--single-cycle', '--data-dir', data.dir]);
    expect(again.stdout).not.toContain('last stop:');
    expect(readEvents(dir).filter((e) => e.type === 'unclean_stop')).toHaveLength(1);
    expect(readHealth(dir).status).toBe('stopped');
  });
});

describe.concurrent('help and config', () => {
  it('--help lists the commands, profiles, flags and examples, and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const text of [
      'run [options]',
      'config [options]',
      'Examples:',
      'perps-bot run --profile dev --single-cycle',
      'USE_NEW_MARKET_DATA_SERVICE',
      'canary',
      'prod',
      'Exit codes',
    ]) {
      expect(result.stdout).toContain(text);
    }
  });

  it('config prints every setting with its source and masks secrets', async () => {
    const result = await runCli(['config', '--profile', 'canary', '--json'], {
      COINBASE_API_KEY_NAME: 'organizations/o/apiKeys/k',
      COINBASE_API_PRIVATE_KEY: '-----BEGIN EC PRIVATE KEY-----SECRET',
      TRADING_SYMBOLS: 'bip-20dec30-cde',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('SECRET');
    expect(result.stdout).not.toContain('apiKeys/k');
    const view = JSON.parse(result.stdout) as {
      settings: Record<string, { value: string; source: string }>;
      featureFlags: Record<string, { value: string; source: string }>;
      wouldRefuseToStart: string | null;
    };
    expect(view.settings.apiPrivateKey).toEqual({ value: '(set, masked)', source: 'env COINBASE_API_PRIVATE_KEY' });
    expect(view.settings.symbols).toEqual({ value: 'BIP-20DEC30-CDE', source: 'env TRADING_SYMBOLS' });
    expect(view.settings.maxLeverage).toEqual({ value: '1', source: 'profile canary' });
    expect(view.settings.profile).toEqual({ value: 'canary', source: 'flag --profile' });
    expect(Object.keys(view.featureFlags)).toEqual([
      'USE_NEW_MARKET_DATA_SERVICE',
      'USE_NEW_STREAMING_SERVICE',
      'USE_NEW_MARKET_DATA_SERVICE_SHADOW_PERCENT',
      'USE_NEW_EXECUTION_SERVICE',
      'USE_NEW_EXECUTION_SERVICE_SHADOW_PERCENT',
    ]);
    expect(view.wouldRefuseToStart).toBeNull();
  });
});
