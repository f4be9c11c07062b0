import { setTimeout as sleep } from 'node:timers/promises';
import { describeError, type Logger } from '@perps-bot/core';

interface RunLoopOptions {
  readonly runCycle: () => Promise<void>;
  readonly intervalMs: number;
  readonly singleCycle: boolean;
  /** Aborted on SIGINT/SIGTERM: the cycle in progress finishes, the wait between cycles ends at once. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  readonly afterCycle?: (cycle: number, error: unknown) => void;
  /** Stop after this many cycles (--max-cycles). */
  readonly maxCycles?: number;
  /** Asked after each cycle: true ends the loop (--stop-after-trade). */
  readonly shouldStop?: () => boolean;
}

/**
 * Runs cycles until stopped. Unlike the reference, a dry run loops too (it ran exactly one cycle), and a
 * failed cycle is logged and the loop goes on: bad input never stops the bot, a signal does.
 */
export async function runLoop(options: RunLoopOptions): Promise<number> {
  let cycles = 0;
  while (!options.signal.aborted) {
    let failure: unknown;
    try {
      await options.runCycle();
    } catch (error) {
      failure = error;
      options.logger.error(`Cycle ${cycles + 1} failed: ${describeError(error)}`);
    }
    cycles += 1;
    options.afterCycle?.(cycles, failure);
    if (options.singleCycle || options.signal.aborted) break;
    if ((options.maxCycles !== undefined && cycles >= options.maxCycles) || options.shouldStop?.()) break;
    try {
      await sleep(options.intervalMs, undefined, { signal: options.signal });
    } catch {
      break; // aborted while waiting
    }
  }
  return cycles;
}
