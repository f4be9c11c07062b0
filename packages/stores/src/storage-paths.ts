import { isAbsolute, join, resolve, sep } from 'node:path';

export interface StoragePathsInput {
  /** The runtime root (GPT_TRADER_RUNTIME_ROOT / --data-dir); the reference's default is var/data. */
  readonly runtimeRoot: string;
  /** EVENT_STORE_ROOT, when set: the event store lives there instead of in the storage directory. */
  readonly eventStoreRoot?: string | undefined;
  readonly profile: string;
  /** Relative roots resolve against this (default: the process's working directory). */
  readonly cwd?: string;
}

export interface StoragePaths {
  /** `<runtimeRoot>/perps_bot/<profile>`: the orders store and health.json. */
  readonly storageDir: string;
  /** Where the event store lives: the storage directory, or EVENT_STORE_ROOT with perps_bot/<profile> appended. */
  readonly eventStoreDir: string;
  readonly eventsFile: string;
  readonly ordersFile: string;
  readonly healthFile: string;
  /** The risk state (kill switch, reduce-only, daily loss) that survives a restart. */
  readonly riskFile: string;
}

const BOT_DIR = 'perps_bot';

/** The reference's storage layout, one directory per profile so dev runs never mix with canary or prod. */
export function resolveStoragePaths(input: StoragePathsInput): StoragePaths {
  const cwd = input.cwd ?? process.cwd();
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  const suffix = join(BOT_DIR, input.profile);
  const storageDir = join(abs(input.runtimeRoot), suffix);
  let eventStoreDir = storageDir;
  if (input.eventStoreRoot !== undefined && input.eventStoreRoot !== '') {
    const root = abs(input.eventStoreRoot).replace(/[\\/]+$/, '');
    // The reference appends perps_bot/<profile> only when the root does not already end with it.
    eventStoreDir = root.endsWith(sep + suffix) ? root : join(root, suffix);
  }
  return {
    storageDir,
    eventStoreDir,
    eventsFile: join(eventStoreDir, 'events.sqlite'),
    ordersFile: join(storageDir, 'orders.sqlite'),
    healthFile: join(storageDir, 'health.json'),
    riskFile: join(storageDir, 'risk.sqlite'),
  };
}
