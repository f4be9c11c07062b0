import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readHealth, tempDataDir, waitFor } from './cli-harness.js';

vi.setConfig({ testTimeout: 120_000 });

const BIN = fileURLToPath(new URL('../bin/perps-bot', import.meta.url));
const cleanups: Array<() => void> = [];
afterAll(() => cleanups.splice(0).forEach((cleanup) => cleanup()));

describe('apps/perps-bot/bin/perps-bot', () => {
  it('Ctrl-C (SIGINT to the whole foreground process group, as a terminal sends it) stops the bot cleanly with exit 0', async () => {
    const data = tempDataDir();
    cleanups.push(data.cleanup);
    // Its own process group, like a job in a terminal; from the sources, so no build is needed.
    const child = spawn(BIN, ['run', '--profile', 'dev', '--interval', '0.05', '--data-dir', data.dir], {
      detached: true,
      env: { ...process.env, PERPS_BOT_FROM_SOURCE: '1', NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.resume();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal })),
    );
    await waitFor(
      'two cycles in health.json',
      () => ((readHealth(data.profileDir()).cycleCount as number) >= 2 ? true : undefined),
      90_000,
      () => stdout,
    );
    process.kill(-(child.pid as number), 'SIGINT');
    expect(await exited).toEqual({ code: 0, signal: null });
    expect(readHealth(data.profileDir()).status).toBe('stopped');
    expect(stdout).toMatch(/^BTC-PERP\s+mark=/m);
  });
});
