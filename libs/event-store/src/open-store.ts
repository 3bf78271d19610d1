import { join } from 'node:path';
import type { EventStore } from './event-store.port';
import type { WalCheckpointer } from './sqlite/wal-checkpointer';

/**
 * The one place that turns settings into an open store of record. The API, the CLI, the
 * benchmark and the tests all open their store here, so that a setting read by one is read by
 * all (two copies drifted once: the CLI lost EVENTSTORE_NAMESPACE). Adapters are loaded only
 * when chosen, so loading this library does not load every database driver.
 */

export type StoreKind = 'sqlite' | 'eventstoredb' | 'postgres';

export interface StoreSettings {
  kind: StoreKind;
  /** The folder of `events.db` (embedded store); with any store, `views.db` lives there too. */
  dataDir: string;
  /** The server's address: `EVENTSTORE_CONNECTION_STRING` for `eventstoredb`, `DATABASE_URL` for `postgres`. */
  connectionString: string | null;
  /** `EVENTSTORE_NAMESPACE`: a prefix of every stream, so that several records can share one KurrentDB. */
  namespace: string;
  /** `DATABASE_SCHEMA` (default `positions`), for `postgres`: the schema of the record's tables, so that several records can share one database. */
  schema?: string;
}

/** Connection tuning of the embedded store: for bulk work (the CLI's import), and the service's checkpoint thread. */
export interface SqliteTuning {
  readonly?: boolean;
  cacheKiB?: number;
  walAutocheckpointPages?: number;
  /** Copies the log's write-ahead log back on a thread of its own (the service): see WalCheckpointer. */
  checkpoints?: WalCheckpointer;
}

export interface OpenStoreOptions {
  /** The source of recordedAt; default: the system clock. */
  clock?: () => Date;
  sqlite?: SqliteTuning;
}

/** A store setting that cannot be understood; `variable` names the environment variable at fault. */
export class StoreSettingsError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'StoreSettingsError';
  }
}

const STORE_NAMES: Record<string, StoreKind> = { sqlite: 'sqlite', postgres: 'postgres', eventstoredb: 'eventstoredb', kurrentdb: 'eventstoredb' };

/** A schema name as the PostgreSQL store takes it (checked again there), told here so that a typo stops the start. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Reads `EVENT_STORE` and its variables: `EVENTSTORE_CONNECTION_STRING` and `EVENTSTORE_NAMESPACE`
 * (KurrentDB), `DATABASE_URL` and `DATABASE_SCHEMA` (PostgreSQL); the data folder is the caller's.
 */
export function storeSettingsFromEnv(env: NodeJS.ProcessEnv, dataDir: string): StoreSettings {
  const name = env.EVENT_STORE || 'sqlite';
  const kind = STORE_NAMES[name];
  if (!kind || !Object.hasOwn(STORE_NAMES, name)) {
    throw new StoreSettingsError('EVENT_STORE', `EVENT_STORE must be one of ${Object.keys(STORE_NAMES).join(', ')}, got '${name}'`);
  }
  if (kind === 'postgres') return postgresSettings(env, dataDir);
  const connectionString = env.EVENTSTORE_CONNECTION_STRING || null;
  if (kind === 'eventstoredb' && !connectionString) {
    throw new StoreSettingsError(
      'EVENTSTORE_CONNECTION_STRING',
      `EVENT_STORE=${name} needs EVENTSTORE_CONNECTION_STRING, e.g. kurrentdb://localhost:2113?tls=false`,
    );
  }
  return { kind, dataDir, connectionString, namespace: env.EVENTSTORE_NAMESPACE ?? '' };
}

function postgresSettings(env: NodeJS.ProcessEnv, dataDir: string): StoreSettings {
  const url = env.DATABASE_URL || null;
  if (!url || !/^postgres(ql)?:\/\/./.test(url)) {
    throw new StoreSettingsError('DATABASE_URL', `EVENT_STORE=postgres needs DATABASE_URL, a postgres:// URL, e.g. postgres://user:pass@host:5432/positions${url ? ' (the one given is not)' : ''}`);
  }
  const schema = env.DATABASE_SCHEMA || 'positions';
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreSettingsError('DATABASE_SCHEMA', `DATABASE_SCHEMA must be 1-63 lower-case letters, digits or _, not starting with a digit, got '${schema}'`);
  }
  return { kind: 'postgres', dataDir, connectionString: url, namespace: '', schema };
}

/** The embedded store's file in a data folder. */
export function eventsFile(dataDir: string): string {
  return join(dataDir, 'events.db');
}

/**
 * Opens the configured store: the embedded SQLite file, or a PostgreSQL or KurrentDB /
 * EventStoreDB server, which must answer now (StoreUnavailableError when it does not).
 */
export async function openStore(settings: StoreSettings, options: OpenStoreOptions = {}): Promise<EventStore> {
  switch (settings.kind) {
    case 'sqlite': {
      const { SqliteEventStore } = await import('./sqlite');
      return SqliteEventStore.open(eventsFile(settings.dataDir), { clock: options.clock, ...options.sqlite });
    }
    case 'eventstoredb': {
      if (!settings.connectionString) {
        throw new StoreSettingsError('EVENTSTORE_CONNECTION_STRING', 'EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING');
      }
      const { KurrentDbEventStore } = await import('./kurrentdb');
      return KurrentDbEventStore.connect(settings.connectionString, { clock: options.clock, namespace: settings.namespace });
    }
    case 'postgres': {
      if (!settings.connectionString) throw new StoreSettingsError('DATABASE_URL', 'EVENT_STORE=postgres needs DATABASE_URL');
      const { PostgresEventStore } = await import('./postgres');
      return PostgresEventStore.connect(settings.connectionString, { clock: options.clock, schema: settings.schema });
    }
  }
}
