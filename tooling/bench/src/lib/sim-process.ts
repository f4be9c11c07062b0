import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';

interface SimProcessInfo {
  readonly apiUrl: string;
  readonly brokerageUrl: string;
  readonly wsUrl: string;
  readonly port: number;
  readonly pid: number;
  readonly testCredentials: { keyName: string; privateKeyPem: string; algorithm: 'ES256' | 'EdDSA' } | null;
}

export interface SimProcess extends SimProcessInfo {
  /** POST /_sim/<action> (the simulator must run with --control). */
  control<T = unknown>(action: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Runs the exchange-sim CLI in its own process, so the simulator's work never shares the benchmark's event
 * loop. It watches our pid and stops if we die.
 */
export async function startSimProcess(args: readonly string[]): Promise<SimProcess> {
  const pkg = createRequire(import.meta.url).resolve('@perps-bot/exchange-sim/package.json');
  const dir = dirname(pkg);
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=source',
      join(dir, 'src', 'cli.ts'),
      ...args,
      '--control',
      '--parent-pid',
      String(process.pid),
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`exchange-sim exited with ${code} before printing its URLs`)));
  });
  const info = JSON.parse(line) as SimProcessInfo;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    ...info,
    async control<T>(action: string, body: unknown = {}): Promise<T> {
      const res = await fetch(`${info.apiUrl}/_sim/${action}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });
      if (!res.ok) throw new Error(`/_sim/${action}: HTTP ${res.status}`);
      return (await res.json()) as T;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
