export type { RedisStore, RedisStoreOptions } from './create-redis-store.js';
export { createRedisStore, storeFromConfig } from './create-redis-store.js';
export type { LedgerTrim } from './ledger-trim.js';
export type { FailMode, StoreLog } from './redis-connection.js';
export type { HealthSyncOptions } from './redis-health-sync.js';
