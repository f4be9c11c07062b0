export {
  SqliteEventStore,
  DEFAULT_TICK_BATCH,
  TICK_EVENT_TYPES,
  type SqliteEventStoreOptions,
  type TickBatchOptions,
  type TickRetentionOptions,
} from './sqlite-event-store.js';
export { SqliteOrdersStore, type SqliteOrdersStoreOptions } from './sqlite-orders-store.js';
export { MemoryEventStore, MemoryOrdersStore } from './memory-stores.js';
export { resolveStoragePaths, BOT_DIR, type StoragePaths, type StoragePathsInput } from './storage-paths.js';
