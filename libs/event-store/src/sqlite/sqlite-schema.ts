import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreUnavailableError } from '../event-store.port';
import { messageOf, toStoreError } from './sqlite-errors';

/** How long a connection waits for another's write lock when the options name no time. */
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

export interface SqliteConnectionOptions {
  /** Open without write access (e.g. an inspection CLI): appends fail with StoreUnavailableError. */
  readonly?: boolean;
  /** How long to wait for another connection's write lock before giving up (default 5000 ms). */
  busyTimeoutMs?: number;
  /**
   * Page cache of this connection, in KiB (default SQLite's, 2 MiB). A bulk load into a large
   * store keeps its index pages here instead of reading them back from the OS at each insert.
   */
  cacheKiB?: number;
  /**
   * Pages the write-ahead log may hold before a commit copies them back into the database file
   * (default SQLite's, 1000). A bulk load writing thousands of pages per commit checkpoints at
   * almost every commit with the default; a larger log copies each page back once for many commits.
   */
  walAutocheckpointPages?: number;
}

/**
 * STRICT so a wrong type is refused instead of stored. `position` is AUTOINCREMENT so a
 * position is never handed out twice, even after the last rows were removed by hand.
 */
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    position        INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id        TEXT    NOT NULL UNIQUE,
    stream_id       TEXT    NOT NULL,
    stream_position INTEGER NOT NULL CHECK (stream_position >= 0),
    type            TEXT    NOT NULL,
    schema_version  INTEGER NOT NULL,
    data            TEXT    NOT NULL CHECK (json_valid(data)),
    recorded_at     TEXT    NOT NULL,
    recorded_by     TEXT    NOT NULL,
    correlation_id  TEXT    NOT NULL,
    causation_id    TEXT,
    UNIQUE (stream_id, stream_position)
  ) STRICT;
  CREATE INDEX IF NOT EXISTS events_by_type ON events (type, position);
  CREATE TABLE IF NOT EXISTS idempotency_keys (
    key             TEXT    PRIMARY KEY,
    request_hash    TEXT    NOT NULL,
    stream_id       TEXT    NOT NULL,
    first_position  INTEGER NOT NULL,
    last_position   INTEGER NOT NULL
  ) STRICT;
`;

/** Opens `file` (creating its folder and the schema if missing) with the pragmas the store relies on. */
export function openDatabase(file: string, options: SqliteConnectionOptions = {}): Database.Database {
  const action = `open event store ${file}`;
  if (file !== ':memory:' && file !== '') createFolder(file, !options.readonly);
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: options.readonly ?? false, timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
    configure(db, options);
    db.exec(SCHEMA);
    return db;
  } catch (error) {
    db?.close();
    throw toStoreError(error, action);
  }
}

function configure(db: Database.Database, { busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS, cacheKiB, walAutocheckpointPages }: SqliteConnectionOptions): void {
  // Readers do not block the writer and vice versa: the API and a CLI can share the file.
  db.pragma('journal_mode = WAL');
  // FULL syncs the WAL on every commit: a resolved append survives a power cut (NORMAL would not).
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(busyTimeoutMs))}`);
  if (cacheKiB !== undefined) db.pragma(`cache_size = -${Math.max(1, Math.trunc(cacheKiB))}`);
  if (walAutocheckpointPages !== undefined) db.pragma(`wal_autocheckpoint = ${Math.max(0, Math.trunc(walAutocheckpointPages))}`);
}

/**
 * The folder (0700 when created here) and, for a new store, an empty file of mode 0600: SQLite gives its -wal and
 * -shm files the mode of the database file, so the whole record stays private to the service's user.
 */
function createFolder(file: string, writable: boolean): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (writable && !existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  } catch (error) {
    throw new StoreUnavailableError(`cannot create the folder of event store ${file}: ${messageOf(error)}`, error);
  }
}
