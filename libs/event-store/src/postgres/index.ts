/** The PostgreSQL store, for tests that need it by name; others go through openStore. */
export { PostgresEventStore, DEFAULT_SCHEMA, type PostgresEventStoreOptions } from './postgres-event-store';
export { checkSchemaName } from './postgres-schema';
