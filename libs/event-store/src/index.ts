export * from './event-store.port';
export { DuplicateEventIdError } from './store-rules';
export { MemoryEventStore } from './memory/memory-event-store';
export type { MemoryEventStoreOptions } from './memory/memory-event-store';
export { SqliteEventStore } from './sqlite/sqlite-event-store';
export type { SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { KurrentDbEventStore, type KurrentDbEventStoreOptions } from './kurrentdb/kurrentdb-event-store';
