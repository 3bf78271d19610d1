/** The KurrentDB / EventStoreDB store, for tests that need it by name; others go through openStore. */
export { KurrentDbEventStore, type KurrentDbEventStoreOptions } from './kurrentdb-event-store';
