export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store.js';
export { SqliteOrdersStore, type SqliteOrdersStoreOptions } from './sqlite-orders-store.js';
export { MemoryEventStore, MemoryOrdersStore } from './memory-stores.js';
export { resolveStoragePaths, BOT_DIR, type StoragePaths, type StoragePathsInput } from './storage-paths.js';
