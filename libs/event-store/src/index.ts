export * from './event-store.port';
export { DuplicateEventIdError } from './store-rules';
export { MemoryEventStore } from './memory/memory-event-store';
export type { MemoryEventStoreOptions } from './memory/memory-event-store';
export {
  eventsFile,
  openStore,
  storeSettingsFromEnv,
  StoreSettingsError,
  type OpenStoreOptions,
  type SqliteTuning,
  type StoreKind,
  type StoreSettings,
} from './open-store';
