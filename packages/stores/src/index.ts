export { SqliteEventStore, DEFAULT_TICK_RETENTION_ROWS } from './sqlite-event-store.js';
export { SqliteOrdersStore } from './sqlite-orders-store.js';
export { resolveStoragePaths, type StoragePaths } from './storage-paths.js';
export { ensureWritableDirectory } from './storage-directory.js';
export {
  StorageHealthMonitor,
  guardBroker,
  guardWrite,
  guardEventStore,
  guardOrdersStore,
  findStorageFailure,
} from './storage-health.js';
export { SqliteRiskStateStore } from './sqlite-risk-state-store.js';
