// Test doubles for the stores, kept out of the runtime index: `@perps-bot/stores/testing`.
export { MemoryOrdersStore } from './memory-stores.js';
