/** The embedded store, for composition roots and tests that need it by name; others go through openStore. */
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite-event-store';
