import { readFileSync } from 'node:fs';
import { resolveStoragePaths, SqliteEventStore } from '@perps-bot/stores';
import { ImportError, type ImportableRecord } from './import-record.js';

const EXPERIMENT_EVENT = 'experiment_result';

/** A record from a file: a stored event ({type, payload}) or the payload itself, as `perps-bot experiments --show` prints. */
export function recordFromFile(file: string): ImportableRecord {
  const value = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const payload = (value.type === EXPERIMENT_EVENT && typeof value.payload === 'object' ? value.payload : value) as
    ImportableRecord | undefined;
  if (!payload || typeof payload.experiment !== 'string')
    throw new ImportError(`${file} holds no experiment record (an experiment_result event or its payload)`);
  return payload;
}

/** A record by its event id (the store's sequence number) from a data directory's event store, read-only. */
export function recordFromStore(
  seq: number,
  where: { readonly dataDir: string; readonly profile: string; readonly cwd: string },
): ImportableRecord {
  const paths = resolveStoragePaths({ runtimeRoot: where.dataDir, profile: where.profile, cwd: where.cwd });
  const store = new SqliteEventStore({ file: paths.eventsFile, readonly: true });
  try {
    const event = store.get(seq);
    if (!event) throw new ImportError(`no event ${seq} in ${paths.eventsFile}`);
    if (event.type !== EXPERIMENT_EVENT)
      throw new ImportError(`event ${seq} in ${paths.eventsFile} is "${event.type}", not an experiment record`);
    return event.payload as unknown as ImportableRecord;
  } finally {
    store.close();
  }
}
