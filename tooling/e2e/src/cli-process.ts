import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/** The perps-bot app's directory (its CLI runs from its TypeScript sources, as its own tests run it). */
export const APP_DIR = dirname(createRequire(import.meta.url).resolve('perps-bot/package.json'));

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunningCli {
  readonly child: ChildProcess;
  readonly output: () => { stdout: string; stderr: string };
  /** Resolves when the process has exited and its pipes are closed. */
  readonly done: Promise<CliResult>;
}

/**
 * Starts `perps-bot <args>` as a separate process, from source (tsx, `source` condition), with only the given
 * environment on top of this process's: the same way a user runs it. `timeoutMs` only stops a hung process.
 */
export function startCli(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 110_000): RunningCli {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: APP_DIR,
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
      reject(new Error(`perps-bot ${args.join(' ')} did not exit within ${timeoutMs} ms\n${stdout}\n${stderr.slice(-4000)}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, output: () => ({ stdout, stderr }), done };
}

/** Polls until `check` returns a value (not undefined) or the deadline passes: waits for a state, not for time. */
export async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs = 90_000, onTimeout: () => string = () => ''): Promise<T> {
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
