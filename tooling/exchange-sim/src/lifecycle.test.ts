import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startExchangeSim } from './server.js';
import { FeedClient, call, isChannel, startTestSim } from './test-utils.js';

const cli = fileURLToPath(new URL('./cli.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('simulator lifetime', () => {
  it('listens on 127.0.0.1 only, on a free port', async () => {
    const a = await startTestSim();
    const b = await startTestSim();
    expect(a.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(a.wsUrl).toBe(`ws://127.0.0.1:${a.port}`);
    expect(a.port).not.toBe(b.port);
    expect(a.port).toBeGreaterThan(0);
  });

  it('stops by itself when idle, and says why', async () => {
    const reasons: string[] = [];
    const sim = await startExchangeSim({ idleTimeoutMs: 100, tickIntervalMs: 0, onClose: (r) => reasons.push(r) });
    expect(await sim.closed).toBe('idle');
    expect(reasons).toEqual(['idle']);
    await expect(fetch(`${sim.apiUrl}/api/v3/brokerage/time`)).rejects.toThrow();
  });

  it('is not idle while a WebSocket is open, and stops at its lifetime regardless', async () => {
    const sim = await startExchangeSim({
      idleTimeoutMs: 400,
      lifetimeMs: 1500,
      tickIntervalMs: 0,
      heartbeatIntervalMs: 50,
    });
    const client = await FeedClient.connect(sim);
    client.send({ type: 'subscribe', channel: 'heartbeats' });
    // 15 heartbeats take 750 ms, well past the idle timeout: the open socket kept it alive.
    await client.count(isChannel('heartbeats'), 15);
    expect(await sim.closed).toBe('lifetime');
    await client.untilClosed();
  });

  it('close() is idempotent and cuts open sockets', async () => {
    const sim = await startTestSim();
    const client = await FeedClient.connect(sim);
    await Promise.all([sim.close(), sim.close()]);
    await client.untilClosed();
    expect(await sim.closed).toBe('close');
  });

  it('keeps answering after a request it cannot parse', async () => {
    const sim = await startTestSim();
    const res = await fetch(`${sim.brokerageUrl}/orders`, {
      method: 'POST',
      body: '{not json',
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect((await call(sim, 'GET', '/time')).status).toBe(200);
  });
});

describe('exchange-sim CLI', () => {
  const printed = z.object({
    apiUrl: z.string().regex(/^http:\/\/127\.0\.0\.1:\d+$/),
    brokerageUrl: z.string(),
    wsUrl: z.string().regex(/^ws:\/\/127\.0\.0\.1:\d+$/),
    port: z.number(),
    seed: z.number(),
    pid: z.number(),
    testCredentials: z.object({
      keyName: z.string(),
      privateKeyPem: z.string().startsWith('-----BEGIN EC PRIVATE KEY-----'),
      algorithm: z.literal('ES256'),
    }),
  });

  // One spawn covers the CLI end to end (starting it costs a TypeScript load): a parent starts it, passes its
  // JSON line on and is then killed; the orphaned simulator must notice and stop.
  it('prints its URLs and test key as one JSON line, serves them, and stops when its parent dies', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'exchange-sim-')), 'stderr.txt');
    const parentScript = `
      const { spawn } = require('node:child_process');
      const err = require('node:fs').openSync(${JSON.stringify(log)}, 'w');
      const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', ${JSON.stringify(cli)}, '--seed', '3', '--control'], { cwd: ${JSON.stringify(packageDir)}, stdio: ['ignore', 'pipe', err], detached: true });
      child.stdout.once('data', (d) => process.stdout.write(String(d).split('\\n')[0] + '\\n'));
      setInterval(() => undefined, 1000);
    `;
    const parent = spawn(process.execPath, ['-e', parentScript], {
      cwd: packageDir,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: parent.stdout! }).once('line', resolve);
      parent.once('exit', (code) => reject(new Error(`parent exited with ${code}`)));
    });
    const info = printed.parse(JSON.parse(line));
    expect(info.seed).toBe(3);
    expect((await fetch(`${info.apiUrl}/_sim/stats`)).status).toBe(200);
    expect(alive(info.pid)).toBe(true);
    parent.kill('SIGKILL');
    expect(await waitFor(() => !alive(info.pid), 5000)).toBe(true);
    expect(readFileSync(log, 'utf8')).toContain('exchange-sim stopped (parent-exit)');
  });
});
