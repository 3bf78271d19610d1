import { StoreUnavailableError } from '../event-store.port';

/**
 * Result codes meaning the database cannot be read or written right now, by base code:
 * extended codes (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED, SQLITE_BUSY_SNAPSHOT, ...)
 * share their base code's meaning. Everything else is a bug or bad input, not an outage.
 */
const UNAVAILABLE_REASONS: Readonly<Record<string, string>> = {
  SQLITE_READONLY: 'the database is read-only',
  SQLITE_FULL: 'the disk is full',
  SQLITE_IOERR: 'a disk I/O error occurred',
  SQLITE_CANTOPEN: 'the database file cannot be opened',
  SQLITE_BUSY: 'another connection holds the database lock',
  SQLITE_LOCKED: 'a table is locked by another statement',
  SQLITE_CORRUPT: 'the database file is corrupt',
  SQLITE_NOTADB: 'the file is not a SQLite database',
  SQLITE_PERM: 'access to the database file was denied',
};

/** Raised by UNIQUE(stream_id, stream_position): another writer took the stream position. */
const STREAM_POSITION_TAKEN = 'UNIQUE constraint failed: events.stream_id, events.stream_position';

export type SqliteFailure =
  | { kind: 'unavailable'; code: string; reason: string }
  | { kind: 'stream-conflict' }
  | { kind: 'other' };

export function classifySqliteError(error: unknown): SqliteFailure {
  if (!isSqliteError(error)) return { kind: 'other' };
  const reason = UNAVAILABLE_REASONS[baseCode(error.code)];
  if (reason !== undefined) return { kind: 'unavailable', code: error.code, reason };
  if (error.code === 'SQLITE_CONSTRAINT_UNIQUE' && error.message.includes(STREAM_POSITION_TAKEN)) {
    return { kind: 'stream-conflict' };
  }
  return { kind: 'other' };
}

/**
 * Recognised by shape, not `instanceof Database.SqliteError`: the native addon keeps the
 * SqliteError class of the first copy of better-sqlite3 loaded in the process, so with
 * several module registries (jest, bundlers) errors can come from another copy of the class.
 */
function isSqliteError(error: unknown): error is { name: string; code: string; message: string } {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code, message } = error as Record<string, unknown>;
  return name === 'SqliteError' && typeof code === 'string' && typeof message === 'string';
}

/** `SQLITE_IOERR_SHORT_READ` -> `SQLITE_IOERR`. */
function baseCode(code: string): string {
  return code.split('_').slice(0, 2).join('_');
}

/**
 * The error to throw for a failure while doing `action` (e.g. "append to stream x of /data/events.db"):
 * a StoreUnavailableError naming the reason and code for outages, the original error otherwise.
 */
export function toStoreError(error: unknown, action: string): unknown {
  const failure = classifySqliteError(error);
  if (failure.kind !== 'unavailable') return error;
  return new StoreUnavailableError(`cannot ${action}: ${failure.reason} (${failure.code}: ${messageOf(error)})`, error, `${failure.reason} (${failure.code})`);
}

/** The message of anything thrown; by shape, since errors may come from another realm (see isSqliteError). */
export function messageOf(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as Record<string, unknown>).message : undefined;
  return typeof message === 'string' ? message : String(error);
}
