import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The app's directory: the CLI runs from here, from its TypeScript sources. */
export const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const appRoot = APP_DIR;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningCli {
  readonly child: ChildProcess;
  /** Output so far. */
  readonly output: () => { stdout: string; stderr: string };
  /** Resolves when the process has exited and its pipes are closed. */
  readonly done: Promise<CliResult>;
}

/** Starts the CLI from its TypeScript sources (tsx, `source` condition) as a separate process, as a user would. */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 80_000): RunningCli {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: appRoot,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`perps-bot ${args.join(' ')} did not exit within ${timeoutMs} ms\n${stdout}\n${stderr.slice(-4000)}`),
      );
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, output: () => ({ stdout, stderr }), done };
}

/** Runs the CLI to completion. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 80_000): Promise<CliResult> {
  return startCli(args, env, timeoutMs).done;
}

/** Polls until `check` returns a value (not undefined) or the deadline passes; waits for a state, not for time. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined,
  timeoutMs = 60_000,
  onTimeout: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined;
    try {
      value = check();
    } catch {
      value = undefined; // not there yet (file missing, store not created)
    }
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}\n${onTimeout()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A temporary data directory per test, removed by the returned cleanup. */
export function tempDataDir(): { dir: string; profileDir: (profile?: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'perps-bot-cli-'));
  return {
    dir,
    profileDir: (profile = 'dev') => join(dir, 'perps_bot', profile),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function readHealth(profileDir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(profileDir, 'health.json'), 'utf8')) as Record<string, unknown>;
}
