import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { StoredEvent } from '@perps-bot/core';
import * as stores from '@perps-bot/stores';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { APP_DIR, readHealth, runCli, startCli, tempDataDir, waitFor, type CliResult } from './cli-harness.js';

const cleanups: Array<() => void | Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
function dataDir() {
  const data = tempDataDir();
  cleanups.push(data.cleanup);
  return data;
}
function readEvents(profileDir: string): StoredEvent[] {
  const store = new stores.SqliteEventStore({ file: join(profileDir, 'events.sqlite'), readonly: true });
  try {
    return store.tail(1_000_000);
  } finally {
    store.close();
  }
}
const storageLines = (stderr: string) =>
  stderr.split('\n').filter((line) => line.startsWith('perps-bot: storage unavailable'));

// Limits below only stop a hung process; none decides a result.
vi.setConfig({ testTimeout: 90_000 });

describe.concurrent('unusable data directories fail at once with one line (exit 2)', () => {
  it("--data-dir /proc/foo (Node's mkdir -p loops for ever there)", async () => {
    const result = await runCli(['run', '--profile', 'dev', '--single-cycle', '--data-dir', '/proc/foo'], {}, 30_000);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      'perps-bot: storage unavailable: data directory /proc/foo/perps_bot/dev is unusable (cannot create /proc/foo: ENOENT)',
    );
  });

  it('--data-dir naming a file', async () => {
    const data = dataDir();
    const file = join(data.dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const result = await runCli(['run', '--profile', 'dev', '--single-cycle', '--data-dir', file], {}, 30_000);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `perps-bot: storage unavailable: data directory ${file}/perps_bot/dev is unusable (${file} is not a directory)`,
    );
  });
});

describe('a store that stops writing mid-run stops the bot (exit 4)', () => {
  it('a file-size limit (ulimit -f, EFBIG: the disk refusing writes) → one line naming the file, health error, exit 4', async () => {
    const data = dataDir();
    // SIGXFSZ ignored, so a write past the limit fails with EFBIG instead of killing the process: SQLite then
    // reports SQLITE_IOERR_WRITE, as on a failing or full disk. Pipes (stdout, stderr) have no size limit.
    // 600 blocks (300 KB under dash): past start-up, and reached within seconds whether the WAL or, once the
    // background checkpointer keeps the WAL short, the database file itself is the one that grows.
    const script = `trap '' XFSZ; ulimit -f 600; exec "${process.execPath}" --conditions=source --import tsx src/cli.ts run --profile dev --interval 0.05 --data-dir "${data.dir}"`;
    const child = spawn('sh', ['-c', script], {
      cwd: APP_DIR,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.resume();
    const timer = setTimeout(() => child.kill('SIGKILL'), 80_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    clearTimeout(timer);
    const eventsFile = join(data.profileDir(), 'events.sqlite');
    const lines = storageLines(stderr);
    expect(code).toBe(4);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^perps-bot: storage unavailable: cannot write ${eventsFile.replace(/[.]/g, '\\.')}: SQLITE_IOERR_WRITE: .+; no new orders; exiting with code 4 if it lasts 3 cycles or 30 s$`,
      ),
    );
    const health = readHealth(data.profileDir());
    expect(health.status).toBe('error');
    expect(health.lastError).toMatch(/^storage unavailable: cannot write .*events\.sqlite: SQLITE_IOERR_WRITE/);
  });
});

describe('risk state survives a restart, and an operator clears it', () => {
  it('a saved kill switch and symbol flag are restored by run, shown by risk show, lifted by risk clear', async () => {
    const data = dataDir();
    const dir = data.profileDir();
    const seed = new stores.SqliteRiskStateStore({ file: join(dir, 'risk.sqlite') });
    seed.save(
      {
        version: 1,
        killSwitch: { enabled: true, reason: 'manual' },
        reduceOnly: { enabled: true, reason: 'positions_unknown' },
        symbolReduceOnly: { 'BTC-PERP': 'liquidation_buffer' },
        daily: null,
      },
      new Date(),
    );
    seed.close();

    const run = await runCli(['run', '--profile', 'dev', '--single-cycle', '--data-dir', data.dir]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      'Risk state restored from the last run: kill switch (manual), reduce-only (positions_unknown), reduce-only for BTC-PERP (liquidation_buffer)',
    );

    const show = await runCli(['risk', 'show', '--data-dir', data.dir]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/kill switch: +on \(manual\)/);
    expect(show.stdout).toMatch(/reduce-only symbols: BTC-PERP \(liquidation_buffer\)/);

    const unknownSymbol = await runCli(['risk', 'clear', '--symbol', 'ETH-PERP', '--data-dir', data.dir]);
    expect(unknownSymbol.code).toBe(2);
    expect(unknownSymbol.stderr).toContain('ETH-PERP has no reduce-only flag');

    const clearSymbol = await runCli(['risk', 'clear', '--symbol', 'btc-perp', '--data-dir', data.dir]);
    expect(clearSymbol.code).toBe(0);
    expect(clearSymbol.stdout).toMatch(/reduce-only symbols: none/);
    expect(clearSymbol.stdout).toMatch(/kill switch: +on \(manual\)/);

    const clearAll = await runCli(['risk', 'clear', '--data-dir', data.dir]);
    expect(clearAll.code).toBe(0);
    expect(clearAll.stdout).toMatch(/kill switch: +off/);
    expect(clearAll.stdout).toMatch(/reduce-only: +off/);
    expect(
      readEvents(dir)
        .filter((e) => e.type === 'risk_state_cleared')
        .map((e) => e.payload.symbol),
    ).toEqual(['BTC-PERP', null]);

    const again = await runCli(['run', '--profile', 'dev', '--single-cycle', '--data-dir', data.dir]);
    // only the day's starting equity comes back now
    expect(again.stderr).toMatch(/Risk state restored from the last run: daily loss from \d+/);
    expect(again.stderr).not.toMatch(/restored from the last run: [^"]*(kill switch|reduce-only)/);
  });

  it('risk clear is refused while the bot runs on the profile', async () => {
    const data = dataDir();
    const bot = startCli(['run', '--profile', 'dev', '--interval', '0.2', '--data-dir', data.dir]);
    cleanups.push(() => void bot.child.kill('SIGKILL'));
    await waitFor('the bot running', () => (readHealth(data.profileDir()).status === 'running' ? true : undefined));
    const clear = await runCli(['risk', 'clear', '--data-dir', data.dir]);
    bot.child.kill('SIGTERM');
    await bot.done;
    expect(clear.code).toBe(2);
    expect(clear.stderr).toMatch(/the bot is running on this profile \(pid \d+/);
  });
});

describe.concurrent('transport', () => {
  it('canary refuses a plain-http API URL to a remote host (exit 2)', async () => {
    const result = await runCli([
      'run',
      '--profile',
      'canary',
      '--dry-run',
      '--api-url',
      'http://api.example.com',
      '--data-dir',
      dataDir().dir,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'perps-bot: invalid setting "apiUrl": "http://api.example.com" is plain text (http:) to a non-loopback host on the canary profile; use https:',
    );
  });

  it('a key file others can read is refused with the chmod that fixes it (exit 2)', async () => {
    const data = dataDir();
    const keyFile = join(data.dir, 'cdp_api_key.json');
    writeFileSync(keyFile, JSON.stringify({ name: 'organizations/o/apiKeys/k', privateKey: 'x' }));
    chmodSync(keyFile, 0o644);
    const result = await runCli(['run', '--profile', 'dev', '--single-cycle', '--data-dir', data.dir], {
      COINBASE_API_KEY_FILE: keyFile,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`run chmod 600 ${keyFile}`);
  });
});

describe('bounded shutdown against an exchange that never answers', () => {
  it('SIGTERM while a quote request hangs: the request is cancelled (no retry), the shutdown recorded, exit 0', async () => {
    const seen: string[] = [];
    // The start-up needs the clock and the product list (the symbol check); the quote request is whatever the
    // cycle asks next (a ticker, or the batched products list with product_ids), and it is never answered.
    const listing = readFileSync(
      new URL('../../../packages/broker-adapters/src/coinbase/__fixtures__/docs/list-products.json', import.meta.url),
      'utf8',
    );
    const isStartUp = (url: string) =>
      url.endsWith('/time') || (/\/products(\?|$)/.test(url) && !url.includes('product_ids'));
    const server: Server = createServer((req, res) => {
      const url = req.url ?? '';
      seen.push(`${req.method} ${url}`);
      if (url.endsWith('/time')) {
        const now = new Date();
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ iso: now.toISOString(), epochSeconds: String(Math.floor(now.getTime() / 1000)) }));
      } else if (isStartUp(url)) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(listing);
      }
      // every other request: never answered
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      server.closeAllConnections();
      server.close();
    });
    const { port } = server.address() as AddressInfo;
    const data = dataDir();
    const bot = startCli([
      'run',
      '--profile',
      'dev',
      '--broker',
      'coinbase',
      '--api-url',
      `http://127.0.0.1:${port}`,
      '--symbols',
      'BIP-20DEC30-CDE',
      '--interval',
      '1',
      '--data-dir',
      data.dir,
    ]);
    const quoteRequests = () => seen.filter((r) => !isStartUp(r.slice(r.indexOf(' ') + 1)));
    await waitFor(
      'a quote request in flight',
      () => (quoteRequests().length > 0 ? true : undefined),
      60_000,
      () => `${seen.join('\n')}\n${bot.output().stderr.slice(-3000)}`,
    );
    const signalledAt = Date.now();
    bot.child.kill('SIGTERM');
    const result: CliResult = await bot.done;
    const elapsedMs = Date.now() - signalledAt;
    // A figure for the record, not a verdict: the verdict is the exit code and the requests the exchange saw.
    console.info(`SIGTERM → exit: ${elapsedMs} ms`);
    expect(result.code).toBe(0);
    expect(quoteRequests()).toHaveLength(1);
    expect(readEvents(data.profileDir()).at(-1)).toMatchObject({ type: 'shutdown', payload: { reason: 'SIGTERM' } });
    expect(readHealth(data.profileDir()).status).toBe('stopped');
  });
});
