import { existsSync, readFileSync } from 'node:fs';

/** What health.json said about a run that ended without writing "stopped" (kill -9, a crash, power loss). */
interface UncleanStop {
  readonly pid: number;
  readonly status: string;
  readonly updatedAt: string | null;
  readonly cycleCount: number | null;
}

const LIVE_STATES = new Set(['starting', 'running', 'stopping']);

/** True when a process with this pid exists (EPERM: it exists, it just is not ours). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The previous run's health.json, read before this run overwrites it: a run that ends cleanly leaves
 * "stopped" (or "error"), so a live state whose pid is gone means it was killed or crashed. Undefined when
 * there is no file, it cannot be read, the last stop was clean, or that process still runs.
 */
export function detectUncleanStop(
  healthFile: string,
  isAlive: (pid: number) => boolean = processAlive,
): UncleanStop | undefined {
  if (!existsSync(healthFile)) return undefined;
  let health: Record<string, unknown>;
  try {
    health = JSON.parse(readFileSync(healthFile, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const status = String(health.status);
  const pid = Number(health.pid);
  if (!LIVE_STATES.has(status) || (pid !== process.pid && isAlive(pid))) return undefined;
  return {
    pid,
    status,
    updatedAt: typeof health.updatedAt === 'string' ? health.updatedAt : null,
    cycleCount: typeof health.cycleCount === 'number' ? health.cycleCount : null,
  };
}

export function describeUncleanStop(stop: UncleanStop): string {
  return `UNCLEAN: the previous run (pid ${stop.pid}) ended without a shutdown; health.json still said "${stop.status}" as of ${stop.updatedAt ?? '?'} after ${stop.cycleCount ?? '?'} cycle(s) (killed or crashed?)`;
}
