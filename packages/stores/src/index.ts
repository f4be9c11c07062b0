export {
  SqliteEventStore,
  DEFAULT_TICK_BATCH,
  DEFAULT_TICK_RETENTION_ROWS,
  TICK_EVENT_TYPES,
  type SqliteEventStoreOptions,
  type TickBatchOptions,
  type TickRetentionOptions,
} from './sqlite-event-store.js';
export { SqliteOrdersStore, type SqliteOrdersStoreOptions } from './sqlite-orders-store.js';
export { resolveStoragePaths, BOT_DIR, type StoragePaths, type StoragePathsInput } from './storage-paths.js';
export { ensureWritableDirectory } from './storage-directory.js';
export {
  StorageHealthMonitor,
  guardBroker,
  guardWrite,
  guardEventStore,
  guardOrdersStore,
  findStorageFailure,
  DEFAULT_STORAGE_EXIT_AFTER_CYCLES,
  DEFAULT_STORAGE_EXIT_AFTER_MS,
  type StorageFailure,
  type StorageHealthOptions,
  type StorageVerdict,
  type ProbedStore,
} from './storage-health.js';
export { storageFailure, storageFailureCode } from './sqlite-database.js';
export {
  SqliteRiskStateStore,
  type SqliteRiskStateStoreOptions,
  type SavedRiskState,
} from './sqlite-risk-state-store.js';
