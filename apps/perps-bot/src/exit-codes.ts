/**
 * The exit codes of `perps-bot`, for supervisors (systemd's RestartPreventExitStatus=, a k8s policy). Each
 * names one cause; apps/perps-bot/README.md lists them.
 */
export const ExitCodes = {
  /** Done (--single-cycle) or stopped by a signal within the shutdown bound. */
  OK: 0,
  /** Anything unexpected. */
  FAILURE: 1,
  /** Invalid configuration, refused start, unusable data directory, unavailable broker: fix and rerun. */
  CONFIG: 2,
  /** A store could not write for longer than the bot waits (STORAGE_FAILURE_* below): no order was opened since. */
  STORAGE_UNAVAILABLE: 4,
  /** Shutdown did not finish within SHUTDOWN_DEADLINE_MS: recorded as such, then the process exited anyway. */
  SHUTDOWN_DEADLINE: 5,
  /** A second SIGINT / SIGTERM: exit at once (128 + the signal number). */
  SECOND_SIGINT: 130,
  SECOND_SIGTERM: 143,
} as const;

/** From the first SIGINT/SIGTERM to the process's exit, at most this long. */
export const SHUTDOWN_DEADLINE_MS = 5_000;

/**
 * Arms the hard deadline of a shutdown: `onExpire` runs once if `ms` pass first. unref'd, so a shutdown that
 * finishes in time exits without waiting for it; `cancel` disarms it.
 */
export function armDeadline(ms: number, onExpire: () => void): { cancel: () => void } {
  const timer = setTimeout(onExpire, ms);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
}
