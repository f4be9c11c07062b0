import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RISK_ENV_VARS } from '@perps-bot/risk';
import { SqliteEventStore, SqliteOrdersStore } from '@perps-bot/stores';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { SETTINGS } from '../src/config/index.js';
import { runCli, tempDataDir } from './cli-harness.js';

vi.setConfig({ testTimeout: 120_000 });

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.splice(0).forEach((cleanup) => cleanup()));
function dataDir() {
  const data = tempDataDir();
  cleanups.push(data.cleanup);
  return data;
}

const RISK_VARIABLES = Object.values(RISK_ENV_VARS).flat();

describe.concurrent('a dry run trades on paper', () => {
  it('opens and closes a position at the quotes it sees, keeps its own ledger and orders, and resumes them after a restart', async () => {
    const data = dataDir();
    const dir = data.profileDir();
    const run = await runCli([
      'run',
      '--profile',
      'dev',
      '--warm-up',
      '--interval',
      '0.05',
      '--stop-after-trade',
      '--max-cycles',
      '400',
      '--data-dir',
      data.dir,
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^── run summary ──$/m);
    expect(run.stdout).toMatch(/trades opened [1-9]\d*, closed [1-9]\d*, complete [1-9]/);
    expect(run.stdout).toMatch(/^ {2}\S+ SELL .* · realized -?\d/m);

    // The ledger file: fills with fees (6 bp by default) and the P&L each realized; cash moved by both.
    const ledger = JSON.parse(readFileSync(join(dir, 'dry-run-ledger.json'), 'utf8')) as {
      cash: string;
      journal: Array<{ fee: string; realized: string }>;
    };
    expect(ledger.journal.length).toBeGreaterThanOrEqual(2);
    expect(ledger.journal.every((j) => Number(j.fee) > 0)).toBe(true);
    expect(ledger.journal.some((j) => j.realized !== '0')).toBe(true);
    expect(ledger.cash).not.toBe('100000');
    // Paper orders go to their own store; the live orders store is never created by a dry run.
    expect(existsSync(join(dir, 'orders.sqlite'))).toBe(false);
    const orders = new SqliteOrdersStore({ file: join(dir, 'dry-run-orders.sqlite'), readonly: true });
    const placed = orders.list(100);
    orders.close();
    expect(placed.length).toBe(ledger.journal.length);
    expect(placed.every((o) => o.id.startsWith('paper-') && o.status === 'FILLED')).toBe(true);
    const events = new SqliteEventStore({ file: join(dir, 'events.sqlite'), readonly: true });
    const types = events.tail(100_000).map((e) => e.type);
    events.close();
    expect(types.filter((t) => t === 'order_placed')).toHaveLength(placed.length);
    expect(types).not.toContain('dry_run_order');

    // perps-bot status reads it all back from the data directory.
    const status = await runCli(['status', '--profile', 'dev', '--data-dir', data.dir]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^state: clean: stopped at \S+ \(single cycle complete|stopped\)/m);
    expect(status.stdout).toMatch(/^P&L today: -?\d/m);
    expect(status.stdout).toMatch(/^risk: kill switch off/m);
    expect(status.stdout).toMatch(/^recent orders:$/m);
    expect(status.stdout).toContain('dry-run-ledger.json');

    // A restart resumes the ledger: the cash it starts from is the cash the last run left.
    const again = await runCli(['run', '--profile', 'dev', '--max-cycles', '1', '--data-dir', data.dir]);
    expect(again.code).toBe(0);
    const resumed = JSON.parse(readFileSync(join(dir, 'dry-run-ledger.json'), 'utf8')) as {
      cash: string;
      journal: unknown[];
    };
    expect(resumed.cash).toBe(ledger.cash);
    expect(resumed.journal).toHaveLength(ledger.journal.length);
  });
});

describe.concurrent('every setting is visible', () => {
  it('--help and config --help list every setting and every RISK_* variable', async () => {
    for (const args of [['--help'], ['config', '--help']]) {
      const help = await runCli(args);
      expect(help.code).toBe(0);
      for (const spec of SETTINGS) expect(help.stdout, `${args.join(' ')}: ${spec.key}`).toContain(spec.key);
      for (const name of RISK_VARIABLES) expect(help.stdout, `${args.join(' ')}: ${name}`).toContain(name);
    }
  });

  it('config shows every RISK_* setting with its value and source', async () => {
    const result = await runCli(['config', '--json'], {
      RISK_KILL_SWITCH_ENABLED: 'true',
      RISK_SLIPPAGE_GUARD_BPS: '25',
    });
    const view = JSON.parse(result.stdout) as { risk: Record<string, { env: string; value: string; source: string }> };
    expect(Object.keys(view.risk)).toEqual(Object.keys(RISK_ENV_VARS));
    expect(view.risk.killSwitchEnabled).toEqual({
      env: 'RISK_KILL_SWITCH_ENABLED',
      value: 'true',
      source: 'env RISK_KILL_SWITCH_ENABLED',
    });
    expect(view.risk.slippageGuardBps).toMatchObject({ value: '25', source: 'env RISK_SLIPPAGE_GUARD_BPS' });
    expect(view.risk.dailyLossLimit).toMatchObject({ value: '100', source: 'setting dailyLossLimit (default)' });
    expect(view.risk.maxNotionalPerSymbol).toMatchObject({
      value: 'BTC-PERP:10000,ETH-PERP:10000',
      source: 'setting maxPositionSize (profile dev)',
    });
  });

  it('the banner lists every setting and RISK_* variable with its source, and says why trading is blocked', async () => {
    const data = dataDir();
    const result = await runCli(['run', '--profile', 'dev', '--single-cycle', '--data-dir', data.dir], {
      RISK_KILL_SWITCH_ENABLED: 'true',
      RISK_REDUCE_ONLY_MODE: 'true',
      // A window that is never open: one second long, at a time the test does not run at.
      PERPS_TRADING_WINDOW_START: '03:00:00',
      PERPS_TRADING_WINDOW_END: '03:00:01',
    });
    expect(result.code).toBe(0);
    const banner = result.stdout.slice(0, result.stdout.indexOf('\n  trading:') + 400);
    for (const spec of SETTINGS) expect(banner, spec.key).toMatch(new RegExp(`\\b${spec.key}=\\S* ?\\(`));
    for (const names of Object.values(RISK_ENV_VARS)) expect(banner, names[0]).toMatch(new RegExp(`\\b${names[0]}=`));
    expect(banner).toContain('RISK_KILL_SWITCH_ENABLED=true (env RISK_KILL_SWITCH_ENABLED)');
    const trading = /^ {2}trading: (.*)$/m.exec(result.stdout)?.[1] ?? '';
    expect(trading).toMatch(/^BLOCKED: /);
    expect(trading).toContain('kill switch is on');
    expect(trading).toContain('reduce-only: only orders that shrink a position');
    expect(trading).toContain('outside the trading session (03:00:00–03:00:01 UTC)');
  });

  it('an unblocked bot says trading is allowed', async () => {
    const data = dataDir();
    const result = await runCli(['run', '--profile', 'dev', '--single-cycle', '--data-dir', data.dir]);
    expect(result.stdout).toMatch(/^ {2}trading: allowed$/m);
  });
});
