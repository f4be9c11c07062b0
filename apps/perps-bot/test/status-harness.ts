import { startCli, tempDataDir, waitFor, type RunningCli } from './cli-harness.js';

export interface BotWithStatus {
  readonly bot: RunningCli;
  readonly url: string;
  readonly data: ReturnType<typeof tempDataDir>;
  /** SIGTERM, then the exit; the data directory is removed after. */
  stop(): Promise<number | null>;
}

/**
 * Starts `perps-bot run` on the dev profile with the status server on an ephemeral loopback port and waits
 * for the banner's `status:` line, which names the URL it listens on.
 */
export async function startBotWithStatus(
  args: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
): Promise<BotWithStatus> {
  const data = tempDataDir();
  const bot = startCli(
    ['run', '--profile', 'dev', '--status-server', '--status-port', '0', '--data-dir', data.dir, ...args],
    env,
    170_000,
  );
  const url = await waitFor(
    'the status server URL in the banner',
    () => /^ {2}status: (http:\/\/127\.0\.0\.1:\d+\/)/m.exec(bot.output().stdout)?.[1],
    60_000,
    () => `${bot.output().stdout}\n${bot.output().stderr.slice(-3000)}`,
  );
  return {
    bot,
    url,
    data,
    async stop() {
      bot.child.kill('SIGTERM');
      const result = await bot.done;
      data.cleanup();
      return result.code;
    },
  };
}
